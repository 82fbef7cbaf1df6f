namespace Resilience.Runtime.Ingest;

/// <summary>One accepted push: the samples for hubs and the original request for a Pushgateway tier.</summary>
public sealed record PushBatch(string Method, string GroupPath, string Body, IReadOnlyList<MetricSample> Samples)
{
    /// <summary>
    /// Applies Pushgateway semantics: grouping labels override the pushed ones; a sample with its own timestamp is
    /// refused (as the Pushgateway does, so a push gets the same answer whichever tier is active); every sample gets
    /// the ingest time. A sample without a <c>machine</c> label gets <paramref name="machine"/>, as the hubs' scrape
    /// targets do: a series keeps one identity whichever hub it reaches, and a hub forwarding it onward cannot give it
    /// its own machine (external labels only fill what is absent).
    /// </summary>
    public static PushBatch Create(string method, string groupPath, string body, long ingestMs, string machine)
    {
        var group = PushGroup.Parse(groupPath);
        var samples = ExpositionParser.Parse(body).Select(line =>
        {
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["__name__"] = line.Name };
            foreach (var (k, v) in line.Labels)
            {
                labels[k] = v;
            }
            foreach (var (k, v) in group.Labels)
            {
                labels[k] = v;
            }
            foreach (var empty in labels.Where(l => l.Value.Length == 0).Select(l => l.Key).ToList())
            {
                labels.Remove(empty); // An empty label value means "no such label" in Prometheus.
            }
            labels.TryAdd("machine", machine);
            if (line.TimestampMs is not null)
            {
                throw new FormatException($"{line.Name}: pushed metrics must not have timestamps (the Pushgateway API refuses them too)");
            }
            return new MetricSample(labels.ToList(), line.Value, ingestMs);
        }).ToList();
        return new PushBatch(method, groupPath, body, samples);
    }
}
