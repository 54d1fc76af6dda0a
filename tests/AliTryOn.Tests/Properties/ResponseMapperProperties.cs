using AliTryOn.Http;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Tests.Properties;

public class ResponseMapperProperties
{
    private readonly FakeTimeProvider _time = new();

    [Property(MaxTest = 3000)]
    public Property Any_response_maps_to_a_job_or_a_TryOnException() =>
        Prop.ForAll(ResponseGenerators.AnyResponse, MapsToJobOrTryOnException);

    [Property(MaxTest = 3000)]
    public Property Reading_the_status_of_any_response_never_throws() =>
        Prop.ForAll(ResponseGenerators.AnyResponse, static c =>
        {
            // The retry policy reads every body before the mapper does, so it must survive the same inputs.
            _ = ResponseInspector.ReadFields(c.Body);
        });

    [Property(MaxTest = 40)]
    public Property Every_truncation_of_a_valid_body_maps_to_a_job_or_a_TryOnException()
    {
        var cases =
            from status in ResponseGenerators.AnyStatus
            from headers in ResponseGenerators.GatewayHeaders
            from body in Gen.Frequency(
                (1, Gen.Constant(ResponseGenerators.SampleSuccessBody)),
                (3, ResponseGenerators.ValidJob.Select(static j => j.ToBody())))
            select new ResponseCase(status, headers, body, "valid body, cut at every length");
        return Prop.ForAll(Arb.From(cases, static c => c.Shrink()), c =>
        {
            for (var length = 0; length <= c.Body.Length; length++)
            {
                var cut = c with { Body = c.Body[..length], Origin = $"cut to {length} bytes" };
                var failure = Record.Exception(() =>
                {
                    MapsToJobOrTryOnException(cut);
                    _ = ResponseInspector.ReadFields(cut.Body);
                });
                if (failure is not null)
                {
                    // Name the length that failed: the case FsCheck prints is the whole body.
                    return false.Label($"{cut} threw {failure}");
                }
            }

            return true.ToProperty();
        });
    }

    [Property(MaxTest = 1000)]
    public Property A_valid_job_response_keeps_its_key_tasks_statuses_and_result_urls() =>
        Prop.ForAll(Arb.From(ResponseGenerators.ValidJob, static j => j.Shrink()), sent =>
        {
            using var response = new HttpResponseMessage((System.Net.HttpStatusCode)sent.Status);

            var job = TryOnResponseMapper.Map(response, sent.ToBody(), _time).JobOrThrow();

            Assert.Equal(sent.ResultKey, job.ResultKey);
            Assert.Equal(sent.Tasks.Count, job.Tasks.Count);
            for (var i = 0; i < sent.Tasks.Count; i++)
            {
                var task = job.Tasks[i];
                Assert.Equal(i, task.Index);
                // Ordinal: the status's spelling is kept exactly, known or not.
                Assert.Equal(sent.Tasks[i].Status, task.Status.Value, StringComparer.Ordinal);
                Assert.Equal(
                    Enumerable.Range(0, sent.Tasks[i].Results).Select(r => new Uri(ValidJobResponse.Url(i, r))),
                    task.ResultUrls);
            }
        });

    /// <summary>Passes when the mapper returns a job or throws a <see cref="TryOnException"/>.</summary>
    /// <remarks>Any other exception is left to escape, so FsCheck reports it, with its type and stack, for the shrunk case.</remarks>
    private void MapsToJobOrTryOnException(ResponseCase c)
    {
        using var response = c.ToResponse();
        try
        {
            var job = TryOnResponseMapper.Map(response, c.Body, _time).JobOrThrow();
            Assert.NotNull(job);
        }
        catch (TryOnException)
        {
            // One of the family: what callers are promised.
        }
    }
}
