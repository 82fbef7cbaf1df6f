using Google.Protobuf;

namespace Resilience.Runtime.Ingest;

/// <summary>
/// Encodes prometheus.WriteRequest (remote write 1.0) by hand:
/// WriteRequest{1: repeated TimeSeries}, TimeSeries{1: repeated Label, 2: repeated Sample},
/// Label{1: name, 2: value}, Sample{1: double value, 2: int64 timestamp}.
/// </summary>
public static class RemoteWriteEncoder
{
    public static byte[] Encode(IReadOnlyList<MetricSample> samples)
    {
        // One TimeSeries per distinct label set, samples kept in push order.
        var series = samples.GroupBy(s => Key(s.Labels)).Select(g => g.ToList()).ToList();
        var size = series.Sum(s => Delimited(SeriesSize(s)));
        var buffer = new byte[size];
        var output = new CodedOutputStream(buffer);
        foreach (var s in series)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteLength(SeriesSize(s));
            foreach (var (name, value) in s[0].Labels)
            {
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteLength(LabelSize(name, value));
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteString(name);
                output.WriteTag(2, WireFormat.WireType.LengthDelimited);
                output.WriteString(value);
            }
            foreach (var sample in s)
            {
                output.WriteTag(2, WireFormat.WireType.LengthDelimited);
                output.WriteLength(SampleSize(sample.TimestampMs));
                output.WriteTag(1, WireFormat.WireType.Fixed64);
                output.WriteDouble(sample.Value);
                output.WriteTag(2, WireFormat.WireType.Varint);
                output.WriteInt64(sample.TimestampMs);
            }
        }
        output.CheckNoSpaceLeft();
        return buffer;
    }

    private static string Key(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        string.Join('\u0000', labels.Select(l => l.Key + '\u0001' + l.Value));

    private static int SeriesSize(List<MetricSample> s) =>
        s[0].Labels.Sum(l => Delimited(LabelSize(l.Key, l.Value))) + s.Sum(x => Delimited(SampleSize(x.TimestampMs)));

    private static int LabelSize(string name, string value) =>
        1 + CodedOutputStream.ComputeStringSize(name) + 1 + CodedOutputStream.ComputeStringSize(value);

    private static int SampleSize(long timestamp) => 1 + 8 + 1 + CodedOutputStream.ComputeInt64Size(timestamp);

    private static int Delimited(int size) => 1 + CodedOutputStream.ComputeLengthSize(size) + size;
}
