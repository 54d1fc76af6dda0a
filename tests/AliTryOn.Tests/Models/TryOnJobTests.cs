
namespace AliTryOn.Tests.Models;

public class TryOnJobTests
{
    private static readonly Uri ImageA = new("https://results.example.test/a.png");
    private static readonly Uri ImageB = new("https://results.example.test/b.png");

    [Fact]
    public void Job_is_complete_only_when_every_task_is_terminal()
    {
        var running = new TryOnJob("k", [Task(0, "SUCCESS"), Task(1, "RUNNING")]);
        var done = running with { Tasks = [Task(0, "SUCCESS"), Task(1, "FAILED")] };

        Assert.False(running.HasCompleted);
        Assert.True(done.HasCompleted);
    }

    [Fact]
    public void Job_without_tasks_is_not_complete() =>
        Assert.False(new TryOnJob("k", []).HasCompleted);

    [Fact]
    public void Succeeded_and_failed_tasks_are_split_in_order()
    {
        var job = new TryOnJob("k", [Task(0, "FAILED"), Task(1, "SUCCESS", ImageA), Task(2, "SUCCESS", ImageB), Task(3, "FAILED")]);

        Assert.Equal([1, 2], job.SucceededTasks.Select(t => t.Index));
        Assert.Equal([0, 3], job.FailedTasks.Select(t => t.Index));
        Assert.True(job.HasFailures);
        Assert.Equal([ImageA, ImageB], job.ResultUrls);
    }

    [Fact]
    public void Models_can_be_built_by_users_for_their_own_tests()
    {
        var task = new TryOnTask(new Uri("https://x.test/m.png"), FullBody: new GarmentImage(new Uri("https://x.test/d.png"), GarmentKind.WornByModel), InferenceMode: InferenceMode.Quality);

        Assert.Equal(InferenceMode.Quality, task.InferenceMode);
        Assert.Null(task.Upper);
        Assert.Equal(task, task with { });
    }

    private static TryOnTaskResult Task(int index, string status, params Uri[] results) => new(index, status, results);
}
