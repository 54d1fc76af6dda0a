using System.Net;
using System.Text.RegularExpressions;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Tests.Bulk;

/// <summary>
/// <see cref="TryOnBulkOptions.OnBatchSubmitting"/> on a real client: made as the submit leaves for the service, after
/// its rate-limit permit and the application's handlers, so that a process killed while batches wait leaves no record
/// of a batch never sent. A client built on an application's <see cref="HttpClient"/> records before submitting.
/// </summary>
public sealed partial class BulkRecordAtSendTests
{
    private static readonly TryOnTask[] Inputs = [.. Enumerable.Range(0, 6).Select(i => TestOptions.Task(i))];

    [Fact]
    public async Task Batches_waiting_for_a_rate_limit_permit_have_no_record_until_they_leave()
    {
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var transport = new RecordingHandler((request, _) => journal.Sent(request.Body!)) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => { o.RateLimit.RequestsPerSecond = 0.5; o.TotalTimeout = TimeSpan.FromSeconds(3); }), transport, time);

        // Four single-task batches at once; a permit every 2 s: two are sent (at 0 s and 2 s), two run out of time at 3 s.
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..4], journal.Options() with { BatchSize = 1, MaxConcurrentBatches = 4 }));
        await FakeClock.SettleAsync(run, () => transport.Requests.Count == 1);

        // A process killed now leaves one record, of the batch that went out; the three waiting for a permit have none.
        Assert.Single(journal.Entries, e => e.StartsWith("submitting", StringComparison.Ordinal));

        FakeClock.Advance(time, TimeSpan.FromSeconds(2));
        await FakeClock.SettleAsync(run, () => transport.Requests.Count == 2);
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        var outcomes = await run.WaitAsync(TimeSpan.FromSeconds(10));

        var sent = transport.Requests.Select(r => Journal.Seeds(r.Body!)).ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal([.. sent.SelectMany(s => new[] { $"submitting - {s}", $"sent {s}", $"submitted rk-{s} {s}" })], journal.Entries);
        var unsent = outcomes.Where(o => o.Status == TryOnBulkStatus.Failed).ToArray();
        Assert.Equal(2, unsent.Length);
        Assert.All(unsent, o => Assert.IsType<TryOnTimeoutException>(o.Error));
    }

    [Fact]
    public async Task A_submit_sent_again_after_throttling_is_recorded_once_and_a_refused_one_is_taken_back()
    {
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var answers = 0;
        var transport = new RecordingHandler((request, _) =>
        {
            journal.Sent(request.Body!);
            // The first batch: throttled once, then accepted. The second: throttled past the one retry.
            return Interlocked.Increment(ref answers) is 1 or 3 or 4 ? Answers.ThrottledFor(1) : journal.Accepted(request.Body!);
        }) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 1), transport, time);

        var outcomes = await FakeClock.RunAsync(
            time,
            BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options() with { BatchSize = 1, MaxConcurrentBatches = 1 })),
            TimeSpan.FromMinutes(1));

        Assert.Equal(
            [
                "submitting - 0", "sent 0", "sent 0", "submitted rk-0 0",
                "submitting - 1", "sent 1", "sent 1", "not submitted - 1",
            ],
            journal.Entries);
        Assert.IsType<TryOnThrottledException>(Assert.Single(outcomes, o => o.InputIndex == 1).Error);
    }

    [Fact]
    public async Task A_record_that_fails_as_the_submit_leaves_stops_the_run_with_its_own_exception_and_nothing_is_sent()
    {
        var transport = new RecordingHandler((request, _) => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "SUCCESS")));
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 3), transport);
        var failure = new IOException("the disk is full");
        var calls = 0;
        var options = new TryOnBulkOptions
        {
            BatchSize = 1,
            MaxConcurrentBatches = 1,
            OnBatchSubmitting = (_, _) =>
            {
                Interlocked.Increment(ref calls);
                throw failure;
            },
        };

        // Three batches, one at a time: the first record's failure stops the run before the second batch starts.
        var thrown = await Assert.ThrowsAsync<IOException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..3], options)));

        // An I/O error, but the record's, not the connection's: not retried, and the submit never reached the transport.
        Assert.Same(failure, thrown);
        Assert.Equal(1, calls);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_run_cancelled_while_its_batch_is_recorded_takes_the_record_back_and_sends_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        var journal = new Journal();
        var transport = new RecordingHandler((request, _) => journal.Sent(request.Body!));
        var client = new TryOnClient(TestOptions.Create(), transport);
        var options = journal.Options() with
        {
            // Ctrl+C while the record is written, after the permit: the submit must not go out now.
            OnBatchSubmitting = (batch, _) =>
            {
                journal.Add("submitting", batch);
                cancellation.Cancel();
                return Task.CompletedTask;
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], options, cancellation.Token)));

        Assert.Equal(["submitting - 0,1", "not submitted - 0,1"], journal.Entries);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_registered_client_records_after_the_applications_handlers_as_the_submit_reaches_the_transport()
    {
        var journal = new Journal();
        var transport = new RecordingHandler((request, _) => journal.Sent(request.Body!));
        await using var provider = Registered(services => services.AddTryOnClient(Configure).AddHttpMessageHandler(() => new JournalHandler(journal)).ConfigurePrimaryHttpMessageHandler(() => transport));
        var client = provider.GetRequiredService<TryOnClient>();

        await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options()));

        Assert.Equal(["handler 0,1", "submitting - 0,1", "sent 0,1", "submitted rk-0,1 0,1"], journal.Entries);
    }

    [Fact]
    public async Task A_run_cancelled_before_the_submit_reaches_the_tracker_records_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        var journal = new Journal();
        var transport = new RecordingHandler((request, _) => journal.Sent(request.Body!));
        // Ctrl+C while the submit is in the application's handler, after its permit: it never reaches the transport.
        await using var provider = Registered(services => services.AddTryOnClient(Configure).AddHttpMessageHandler(() => new JournalHandler(journal, cancellation)).ConfigurePrimaryHttpMessageHandler(() => transport));
        var client = provider.GetRequiredService<TryOnClient>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options(), cancellation.Token)));

        Assert.Equal(["handler 0,1"], journal.Entries);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_record_that_fails_on_the_way_to_the_transport_fails_the_send_with_a_message_naming_the_record()
    {
        var failure = new IOException("the disk is full");
        var record = new AliTryOn.Http.SubmittingRecord(() => throw failure, CancellationToken.None, TimeProvider.System);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(record.MakeBeforeSendingAsync);

        Assert.Equal("The submit was not sent: the bulk run's record of it (TryOnBulkOptions.OnBatchSubmitting) failed. the disk is full", thrown.Message);
        Assert.Same(failure, thrown.InnerException);
        Assert.Same(failure, record.Failure);
        Assert.True(record.IsMade);
    }

    [Fact]
    public async Task A_client_on_the_applications_own_HttpClient_records_before_submitting()
    {
        // Its chain is the application's, with no tracker to record as the submit leaves: the run records first.
        var journal = new Journal();
        var transport = new RecordingHandler((request, _) => journal.Sent(request.Body!));
        using var httpClient = new HttpClient(new JournalHandler(journal)
        {
            InnerHandler = new TryOnAuthenticationHandler(TestOptions.Create()) { InnerHandler = transport },
        });
        var client = new TryOnClient(httpClient, TestOptions.Create());

        await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options()));

        Assert.Equal(["submitting - 0,1", "handler 0,1", "sent 0,1", "submitted rk-0,1 0,1"], journal.Entries);
    }

    [Fact]
    public async Task A_send_an_applications_handler_repeats_after_the_record_failed_fails_the_same_way()
    {
        var transport = new RecordingHandler((request, _) => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "SUCCESS")));
        await using var provider = Registered(services => services.AddTryOnClient(Configure).AddHttpMessageHandler(() => new SendingAgainHandler()).ConfigurePrimaryHttpMessageHandler(() => transport));
        var client = provider.GetRequiredService<TryOnClient>();
        var failure = new IOException("the disk is full");
        var options = new TryOnBulkOptions { OnBatchSubmitting = (_, _) => throw failure };

        var thrown = await Assert.ThrowsAsync<IOException>(() => BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..1], options)));

        Assert.Same(failure, thrown);
        Assert.Empty(transport.Requests); // the repeated send did not go out unrecorded
    }

    [Fact]
    public async Task A_subclass_whose_submit_goes_through_another_client_records_before_submitting()
    {
        // The outer client has a tracker of its own, but its submits go through a client on the application's HttpClient.
        var journal = new Journal();
        var transport = new RecordingHandler((request, _) => journal.Sent(request.Body!));
        using var httpClient = new HttpClient(new TryOnAuthenticationHandler(TestOptions.Create()) { InnerHandler = transport });
        var client = new RoutingClient(new TryOnClient(httpClient, TestOptions.Create()));

        await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options()));

        Assert.Equal(["submitting - 0,1", "sent 0,1", "submitted rk-0,1 0,1"], journal.Entries);
    }

    [Fact]
    public async Task A_registered_client_from_an_applications_own_HttpClient_factory_records_before_submitting()
    {
        // A factory that ignores the registration's handlers: the client has no tracker to record as the submit leaves.
        var journal = new Journal();
        var transport = new RecordingHandler((request, _) => journal.Sent(request.Body!));
        await using var provider = Registered(services => services.AddTryOnClient(Configure).Services.AddSingleton<IHttpClientFactory>(new OwnFactory(transport)));
        var client = provider.GetRequiredService<TryOnClient>();

        await BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options()));

        Assert.Equal(["submitting - 0,1", "sent 0,1", "submitted rk-0,1 0,1"], journal.Entries);
    }

    [Fact]
    public async Task A_run_cancelled_while_a_submit_is_out_still_records_the_key_of_an_answer_that_comes_within_the_grace()
    {
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var transport = new AnsweringLater(time, TimeSpan.FromSeconds(2), journal, body => Running(body));
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options(), cancellation.Token));
        await FakeClock.SettleAsync(run, () => transport.Requests == 1);

        await cancellation.CancelAsync(); // Ctrl+C while the submit is out
        FakeClock.Advance(time, TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["submitting - 0,1", "sent 0,1", "submitted rk-0,1 0,1"], journal.Entries); // its job can be waited for
    }

    [Fact]
    public async Task A_run_cancelled_while_a_submit_is_out_waits_no_longer_than_the_grace_for_its_answer()
    {
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var transport = new AnsweringLater(time, Timeout.InfiniteTimeSpan, journal);
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options(), cancellation.Token));
        await FakeClock.SettleAsync(run, () => transport.Requests == 1);

        await cancellation.CancelAsync();
        await FakeClock.SettleAsync(run, () => time.HasTimerDueWithin(AliTryOn.Http.SubmitAnswerGrace.Grace));
        Assert.False(run.IsCompleted); // the send goes on, for the grace
        FakeClock.Advance(time, AliTryOn.Http.SubmitAnswerGrace.Grace - FakeClock.Step);
        await FakeClock.SettleAsync(run, () => time.HasTimerDueWithin(FakeClock.Step));
        Assert.False(run.IsCompleted);
        FakeClock.Advance(time, FakeClock.Step);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["submitting - 0,1", "sent 0,1", "submitted - 0,1"], journal.Entries); // no answer: its job may exist
    }

    [Fact]
    public async Task A_sent_submit_answered_late_in_the_grace_reads_its_body_in_what_is_left_of_it_not_in_a_grace_of_its_own()
    {
        // The answer's headers come 4 s into the grace, and its body never does: the run ends when the grace does,
        // at 5 s, well before a container's stop gives up on the process (10 s).
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var body = new StallingStream();
        var transport = new AnsweringLater(time, TimeSpan.FromSeconds(4), journal, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options(), cancellation.Token));
        await FakeClock.SettleAsync(run, () => transport.Requests == 1);

        await cancellation.CancelAsync(); // Ctrl+C just after the submit went out
        FakeClock.Advance(time, TimeSpan.FromSeconds(4));
        await FakeClock.SettleAsync(run, () => body.Reading.IsCompleted);
        await FakeClock.SettleAsync(run, () => time.HasTimerDueWithin(TimeSpan.FromSeconds(1)));
        Assert.False(run.IsCompleted); // the body is read for what is left of the grace
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["submitting - 0,1", "sent 0,1", "submitted - 0,1"], journal.Entries); // no answer read: its job may exist
    }

    [Fact]
    public async Task A_sent_submit_whose_transport_answers_after_the_grace_ran_out_reads_nothing_more()
    {
        // A transport that does not stop when told: the headers come 6 s after the cancellation, the grace already over.
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var body = new StallingStream();
        var transport = new AnsweringLater(time, TimeSpan.FromSeconds(6), journal, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) }, ignoresCancellation: true);
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options(), cancellation.Token));
        await FakeClock.SettleAsync(run, () => transport.Requests == 1);

        await cancellation.CancelAsync();
        FakeClock.Advance(time, TimeSpan.FromSeconds(6));

        // No grace is left for the body: the run ends without moving the clock again.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["submitting - 0,1", "sent 0,1", "submitted - 0,1"], journal.Entries);
    }

    [Fact]
    public async Task A_refusal_that_answers_a_submit_after_the_run_was_cancelled_is_not_followed_by_another_send()
    {
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var transport = new AnsweringLater(time, TimeSpan.FromSeconds(1), journal, _ => Answers.ThrottledFor(0));
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 3), transport, time);
        using var cancellation = new CancellationTokenSource();
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options(), cancellation.Token));
        await FakeClock.SettleAsync(run, () => transport.Requests == 1);

        await cancellation.CancelAsync();
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));

        // The run ends, cancelled or with the batch failed as refused; either way nothing more is sent.
        var ended = await Record.ExceptionAsync(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(ended is null or OperationCanceledException, ended?.ToString());
        Assert.Equal(1, transport.Requests);
        Assert.Equal(["submitting - 0,1", "sent 0,1", "not submitted - 0,1"], journal.Entries);
    }

    [Fact]
    public async Task A_submit_out_past_its_attempt_time_limit_gets_no_grace()
    {
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        var transport = new AnsweringLater(time, Timeout.InfiniteTimeSpan, journal);
        var client = new TryOnClient(TestOptions.Create(o => o.AttemptTimeout = TimeSpan.FromSeconds(2)), transport, time);
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options()));
        await FakeClock.SettleAsync(run, () => transport.Requests == 1);

        FakeClock.Advance(time, TimeSpan.FromSeconds(2)); // the grace is for the run's cancellation, not for time limits
        var outcomes = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        Assert.Equal(["submitting - 0,1", "sent 0,1", "submitted - 0,1"], journal.Entries);
    }

    [Fact]
    public async Task A_query_out_when_the_run_is_cancelled_gets_no_grace()
    {
        var time = new ObservedFakeTimeProvider();
        var journal = new Journal();
        // Submits are answered at once, their jobs running; queries hang until cancelled.
        var transport = new RecordingHandler((request, _) => request.Uri.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal) ? Running(request.Body!) : null) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();
        var run = BulkRunnerTests.CollectAsync(client.RunBulkAsync(Inputs[..2], journal.Options(), cancellation.Token));
        for (var step = 0; step < 64 * 60 && transport.Requests.Count < 2; step++)
        {
            FakeClock.Advance(time, FakeClock.Step);
            await FakeClock.SettleAsync(run, () => transport.Requests.Count >= 2 || time.HasTimerDueWithin(TimeSpan.FromMinutes(1)));
        }

        Assert.Equal(2, transport.Requests.Count); // the submit, then a query that hangs
        await cancellation.CancelAsync();

        // The grace is for a submit's answer, which names a job; a query can be made again by the next run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["submitting - 0,1", "submitted rk-0,1 0,1"], journal.Entries);
    }

    /// <summary>A job of the submit's tasks, all still running.</summary>
    private static HttpResponseMessage Running(string body)
    {
        var seeds = Journal.Seeds(body).Split(',');
        return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-" + string.Join(",", seeds), [.. seeds.Select(_ => "RUNNING")]));
    }

    /// <summary>A container with the registration <paramref name="register"/> makes.</summary>
    private static ServiceProvider Registered(Action<ServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        register(services);
        return services.BuildServiceProvider();
    }

    /// <summary>The registered client's settings: the test endpoint and AppCode.</summary>
    private static void Configure(TryOnClientOptions options)
    {
        options.Endpoint = new Uri(TestOptions.Endpoint);
        options.AppCode = TestOptions.AppCode;
    }

    /// <summary>The records and the requests, in the order they happen.</summary>
    private sealed class Journal
    {
        private readonly List<string> _entries = [];

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        /// <summary>The inputs a submit's body carries, by their seeds (<c>model-3.png</c>): "0,1".</summary>
        public static string Seeds(string body) => string.Join(",", ModelSeed().Matches(body).Select(m => m.Groups[1].Value));

        public void Add(string entry)
        {
            lock (_entries)
            {
                _entries.Add(entry);
            }
        }

        public void Add(string record, TryOnBulkBatch batch) => Add($"{record} {batch.ResultKey ?? "-"} {string.Join(",", batch.InputIndices)}");

        /// <summary>Notes a submit reaching the transport and accepts it.</summary>
        public HttpResponseMessage Sent(string body)
        {
            Add("sent " + Seeds(body));
            return Accepted(body);
        }

        /// <summary>Accepts a submit as job <c>rk-</c> and its seeds, every task done.</summary>
        public HttpResponseMessage Accepted(string body)
        {
            var seeds = Seeds(body).Split(',');
            return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-" + string.Join(",", seeds), [.. seeds.Select(_ => "SUCCESS")]));
        }

        /// <summary>Options whose three records write here.</summary>
        public TryOnBulkOptions Options() => new()
        {
            OnBatchSubmitting = (batch, _) => Record("submitting", batch),
            OnBatchSubmitted = (batch, _) => Record("submitted", batch),
            OnBatchNotSubmitted = (batch, _) => Record("not submitted", batch),
        };

        private Task Record(string record, TryOnBulkBatch batch)
        {
            Add(record, batch);
            return Task.CompletedTask;
        }
    }

    /// <summary>An application's handler: notes each submit passing through it, and cancels <paramref name="cancelling"/> if given.</summary>
    private sealed class JournalHandler(Journal journal, CancellationTokenSource? cancelling = null) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal))
            {
                journal.Add("handler " + Journal.Seeds(await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)));
                cancelling?.Cancel();
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A transport that answers each submit <paramref name="after"/> on the clock (never, if infinite), accepting it unless
    /// <paramref name="answer"/> says otherwise; one that <paramref name="ignoresCancellation"/> answers then even if cancelled.
    /// </summary>
    private sealed class AnsweringLater(TimeProvider time, TimeSpan after, Journal journal, Func<string, HttpResponseMessage>? answer = null, bool ignoresCancellation = false) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            journal.Add("sent " + Journal.Seeds(body));
            Interlocked.Increment(ref _requests);
            await Task.Delay(after, time, ignoresCancellation ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
            return answer?.Invoke(body) ?? journal.Accepted(body);
        }
    }

    /// <summary>An application's handler that sends once more when a send fails.</summary>
    private sealed class SendingAgainHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A client whose submits go through another client.</summary>
    private sealed class RoutingClient(TryOnClient inner) : TryOnClient(TestOptions.Create())
    {
        public override Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default) =>
            inner.SubmitAsync(tasks, cancellationToken);

        public override Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.WaitForCompletionAsync(resultKey, options, cancellationToken);
    }

    /// <summary>An application's own factory: every client is a plain one over <paramref name="transport"/>.</summary>
    private sealed class OwnFactory(HttpMessageHandler transport) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(transport, disposeHandler: false);
    }

    [GeneratedRegex(@"model-(\d+)\.png")]
    private static partial Regex ModelSeed();
}
