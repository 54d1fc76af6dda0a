using System.Collections.Concurrent;
using System.Text.Json;

namespace AliTryOn.Testing.Tests.Bulk;

/// <summary>
/// A bulk run against the in-memory emulator on a fake clock: inputs each with a model image of its own (so the
/// emulator's records show which input went into which job), the batches the run reports, and checks on the records.
/// </summary>
public sealed class BulkHarness
{
    public BulkHarness(Action<TryOnEmulatorOptions>? configureEmulator = null, Action<TryOnClientOptions>? configureClient = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        Start = Time.GetUtcNow();
        var options = new TryOnEmulatorOptions { TimeProvider = Time, RandomSeed = 11 };
        configureEmulator?.Invoke(options);
        Emulator = new TryOnEmulator(options);
        ClientOptions = Emulator.CreateClientOptions();
        // The client's time limits off, as in the scale test: between queries each batch waits on its poller's timer
        // alone, so the fake clock can be driven step by step. Retries keep their backoff, on the same clock.
        ClientOptions.AttemptTimeout = Timeout.InfiniteTimeSpan;
        ClientOptions.TotalTimeout = Timeout.InfiniteTimeSpan;
        configureClient?.Invoke(ClientOptions);
        Client = new CountingClient(ClientOptions, Emulator.CreateHandler(), Time, loggerFactory);
    }

    /// <summary>The process restarts: a new client, without what the last one kept in memory, on the same emulator and clock.</summary>
    public void Restart() => Client = new CountingClient(ClientOptions, Emulator.CreateHandler(), Time);

    public ObservedFakeTimeProvider Time { get; } = new();

    /// <summary>The fake time the harness started at.</summary>
    public DateTimeOffset Start { get; }

    public TryOnEmulator Emulator { get; }

    public TryOnClientOptions ClientOptions { get; }

    public CountingClient Client { get; private set; }

    /// <summary>Every batch the runs reported through <see cref="TryOnBulkOptions.OnBatchSubmitted"/>, in order.</summary>
    public ConcurrentQueue<TryOnBulkBatch> Reported { get; } = new();

    public static TryOnTask Task(int input, InferenceMode mode = InferenceMode.Fast) => new(
        Model(input),
        Upper: new GarmentImage(new Uri($"https://img.test/top-{input}.png"), GarmentKind.FlatLay),
        InferenceMode: mode);

    public static Uri Model(int input) => new($"https://img.test/model-{input}.png");

    public static TryOnTask[] Tasks(int count) => [.. Enumerable.Range(0, count).Select(i => Task(i))];

    /// <summary>Options that record each reported batch in <see cref="Reported"/>.</summary>
    public TryOnBulkOptions Options(int maxConcurrentBatches = 3, TryOnWaitOptions? wait = null, IReadOnlyList<TryOnBulkBatch>? resume = null) => new()
    {
        MaxConcurrentBatches = maxConcurrentBatches,
        Wait = wait,
        SubmittedBatches = resume,
        OnBatchSubmitted = (batch, _) =>
        {
            Reported.Enqueue(batch);
            return System.Threading.Tasks.Task.CompletedTask;
        },
    };

    /// <summary>Runs to the end on the fake clock and returns the outcomes in the order they came.</summary>
    public Task<List<TryOnBulkOutcome>> RunAsync(IEnumerable<TryOnTask> tasks, TryOnBulkOptions options, CancellationToken cancellationToken = default) =>
        DriveAsync(CollectAsync(Client.RunBulkAsync(tasks, options, cancellationToken)));

    /// <summary>
    /// Drives the fake clock until <paramref name="run"/> ends: a step at a time, once every submit or wait under way
    /// is waiting on its timer (its poll delay or a retry's backoff; the client's time limits are off), as
    /// <see cref="FakeClock.RunAllAsync"/> does for a fixed set of flows. A bulk run starts and ends flows as it goes.
    /// </summary>
    public Task<T> DriveAsync<T>(Task<T> run) => System.Threading.Tasks.Task.Run(async () =>
    {
        // With the client's time limits on, a call holds more timers than the one it waits on, so the count alone can
        // hold while some are still working: then nothing queued on the thread pool, three checks in a row, is also
        // required (a test doing this runs alone, so the queue is the run's own).
        var timeLimits = ClientOptions.AttemptTimeout != Timeout.InfiniteTimeSpan || ClientOptions.TotalTimeout != Timeout.InfiniteTimeSpan;
        var end = Time.GetUtcNow() + TimeSpan.FromHours(2);
        while (!run.IsCompleted && Time.GetUtcNow() < end)
        {
            var quiet = 0;
            await FakeClock.SettleAsync(run, () =>
                Time.PendingTimers >= Client.ActiveCalls && (!timeLimits || (ThreadPool.PendingWorkItemCount == 0 && ++quiet >= 3))).ConfigureAwait(false);
            FakeClock.Advance(Time, FakeClock.Step);
        }

        if (!run.IsCompleted)
        {
            throw new TimeoutException("The bulk run did not end within 2 hours of fake time.");
        }

        return await run.ConfigureAwait(false);
    });

    public static async Task<List<TryOnBulkOutcome>> CollectAsync(IAsyncEnumerable<TryOnBulkOutcome> run, Action<TryOnBulkOutcome>? each = null)
    {
        var outcomes = new List<TryOnBulkOutcome>();
        await foreach (var outcome in run.ConfigureAwait(false))
        {
            outcomes.Add(outcome);
            each?.Invoke(outcome);
        }

        return outcomes;
    }

    /// <summary>Each job the emulator created: its result key and the inputs of its tasks, in task order.</summary>
    public IReadOnlyDictionary<string, int[]> CreatedJobs() => Emulator.Requests
        .Where(r => r.CreatedJob)
        .ToDictionary(r => r.ResultKey!, r => InputsOf(r.Body!));

    /// <summary>The inputs of a submit body, from their model image URLs.</summary>
    public static int[] InputsOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").GetProperty("task_list").EnumerateArray()
            .Select(task => task.GetProperty("model_image").GetString()!)
            .Select(url => int.Parse(url["https://img.test/model-".Length..^".png".Length], System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Every input has exactly one outcome; no input went into two created jobs; and each outcome that names a job
    /// names the one its input went into, at its position there.
    /// </summary>
    public void AssertEachInputOnceAndNoneSubmittedTwice(int inputs, IReadOnlyList<TryOnBulkOutcome> outcomes)
    {
        Assert.Equal(Enumerable.Range(0, inputs), outcomes.Select(o => o.InputIndex).Order());
        var jobs = CreatedJobs();
        var jobOf = new Dictionary<int, (string Key, int Position)>();
        foreach (var (key, members) in jobs)
        {
            for (var position = 0; position < members.Length; position++)
            {
                Assert.True(jobOf.TryAdd(members[position], (key, position)), $"Input {members[position]} was submitted in two jobs.");
            }
        }

        foreach (var outcome in outcomes.Where(o => o.ResultKey is not null))
        {
            Assert.True(jobOf.TryGetValue(outcome.InputIndex, out var job), $"Input {outcome.InputIndex} names job {outcome.ResultKey}, which the emulator never created for it.");
            Assert.Equal(job.Key, outcome.ResultKey);
            Assert.Equal(job.Position, outcome.TaskIndex);
        }

        foreach (var outcome in outcomes.Where(o => o.Status == TryOnBulkStatus.Succeeded))
        {
            Assert.Equal(Model(outcome.InputIndex), Assert.IsType<UrlImage>(outcome.Task.ModelImage).Url);
            Assert.Equal(4, outcome.ResultUrls.Count);
            Assert.Null(outcome.Error);
        }
    }

    /// <summary>
    /// A client on the emulator that counts the batches in flight (from a submit's start to its wait's end), and the
    /// submits and waits under way.
    /// </summary>
    public sealed class CountingClient(TryOnClientOptions options, HttpMessageHandler transport, TimeProvider time, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
        : TryOnClient(options, transport, time, loggerFactory)
    {
        private int _inFlight;
        private int _peak;
        private int _activeCalls;

        public int ActiveCalls => Volatile.Read(ref _activeCalls);

        public int Peak => Volatile.Read(ref _peak);

        private int _submits;

        public int Submits => Volatile.Read(ref _submits);

        public override async Task<TryOnJob> SubmitAsync(IEnumerable<TryOnTask> tasks, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _submits);
            var now = Interlocked.Increment(ref _inFlight);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }

            Interlocked.Increment(ref _activeCalls);
            try
            {
                return await base.SubmitAsync(tasks, cancellationToken).ConfigureAwait(false);
            }
            catch (TryOnSubmitOutcomeUnknownException unknown) when (unknown.ResultKey is not null)
            {
                throw; // the run waits for the job it names
            }
            catch
            {
                Interlocked.Decrement(ref _inFlight);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _activeCalls);
            }
        }

        public override async Task<TryOnJob> WaitForCompletionAsync(string resultKey, TryOnWaitOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _activeCalls);
            try
            {
                return await base.WaitForCompletionAsync(resultKey, options, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                Interlocked.Decrement(ref _activeCalls);
            }
        }
    }
}
