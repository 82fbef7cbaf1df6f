using Google.Protobuf;
using Resilience.Runtime.Ingest;

namespace Resilience.Runtime.Tests.Unit;

public class RemoteWriteEncoderTests
{
    [Fact]
    public void Encodes_one_timeseries_per_label_set_with_samples_in_order()
    {
        var a = new List<KeyValuePair<string, string>> { new("__name__", "m"), new("job", "j") };
        var b = new List<KeyValuePair<string, string>> { new("__name__", "n"), new("job", "j") };
        var bytes = RemoteWriteEncoder.Encode([new(a, 1, 100), new(b, 2.5, 100), new(a, 3, 200)]);

        var series = Decode(bytes);
        Assert.Equal(2, series.Count);
        Assert.Equal([("__name__", "m"), ("job", "j")], series[0].Labels);
        Assert.Equal([(1.0, 100L), (3.0, 200L)], series[0].Samples);
        Assert.Equal([(2.5, 100L)], series[1].Samples);
    }

    // An independent reader of the same wire format, field by field.
    private static List<(List<(string, string)> Labels, List<(double, long)> Samples)> Decode(byte[] bytes)
    {
        var result = new List<(List<(string, string)>, List<(double, long)>)>();
        var input = new CodedInputStream(bytes);
        while (!input.IsAtEnd)
        {
            Assert.Equal(1, WireFormat.GetTagFieldNumber(input.ReadTag()));
            var series = new CodedInputStream(input.ReadBytes().ToByteArray());
            var labels = new List<(string, string)>();
            var samples = new List<(double, long)>();
            while (!series.IsAtEnd)
            {
                var field = WireFormat.GetTagFieldNumber(series.ReadTag());
                var inner = new CodedInputStream(series.ReadBytes().ToByteArray());
                if (field == 1)
                {
                    inner.ReadTag();
                    var name = inner.ReadString();
                    inner.ReadTag();
                    labels.Add((name, inner.ReadString()));
                }
                else
                {
                    Assert.Equal(2, field);
                    inner.ReadTag();
                    var value = inner.ReadDouble();
                    inner.ReadTag();
                    samples.Add((value, inner.ReadInt64()));
                }
            }
            result.Add((labels, samples));
        }
        return result;
    }
}
