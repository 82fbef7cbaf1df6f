namespace Resilience.Runtime.Ingest;

/// <summary>What one re-send pass did: <see cref="Sent"/> samples from the start of the list got an answer.</summary>
public sealed record ResendOutcome(int Sent, int Accepted, int AlreadyPresent, int Rejected, ForwardResult? Failure);

/// <summary>
/// Re-sends a failed hub's window to another hub. Prometheus's remote-write receiver (1.0) appends a request in one
/// transaction and rolls all of it back on a single out-of-order or duplicate sample, answering 400; a sample the
/// target already has (it came through the failed hub before it died) must not sink the ones it lacks. So the
/// samples go in timestamp order in small requests, and a request answered 400 is retried one sample at a time,
/// where a 400 saying out of order or duplicate means "already there".
/// </summary>
public sealed class ResendSender(RemoteWriteClient client)
{
    /// <summary>Samples per request; small, since a request the target partly has is retried sample by sample.</summary>
    public const int RequestSamples = 50;

    public async Task<ResendOutcome> SendAsync(Uri hub, IReadOnlyList<MetricSample> samples, TimeSpan timeout, CancellationToken stop)
    {
        int sent = 0, accepted = 0, present = 0, rejected = 0;
        for (var start = 0; start < samples.Count; start += RequestSamples)
        {
            var chunk = samples.Skip(start).Take(RequestSamples).ToList();
            var result = await client.SendAsync(hub, RemoteWriteEncoder.Encode(chunk), timeout, stop);
            if (result.Status == ForwardStatus.Accepted)
            {
                sent += chunk.Count;
                accepted += chunk.Count;
                continue;
            }
            if (result.Status == ForwardStatus.Unavailable)
            {
                return new ResendOutcome(sent, accepted, present, rejected, result);
            }
            foreach (var sample in chunk)
            {
                var single = chunk.Count == 1 ? result : await client.SendAsync(hub, RemoteWriteEncoder.Encode([sample]), timeout, stop);
                switch (single.Status)
                {
                    case ForwardStatus.Accepted:
                        accepted++;
                        break;
                    case ForwardStatus.Rejected when IsAlreadyPresent(single.Error):
                        present++;
                        break;
                    case ForwardStatus.Rejected:
                        rejected++;
                        break;
                    default:
                        return new ResendOutcome(sent, accepted, present, rejected, single);
                }
                sent++;
            }
        }
        return new ResendOutcome(sent, accepted, present, rejected, null);
    }

    /// <summary>Prometheus's texts for storage.ErrOutOfOrderSample and ErrDuplicateSampleForTimestamp.</summary>
    public static bool IsAlreadyPresent(string? error) =>
        error is not null && (error.Contains("out of order", StringComparison.OrdinalIgnoreCase)
                              || error.Contains("duplicate sample", StringComparison.OrdinalIgnoreCase));
}
