using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace AliTryOn.S3.Tests.TestSupport;

/// <summary>
/// A real S3-compatible server for the tests: s3rver (npm), run by Node.js on 127.0.0.1 on a free port, over a data
/// folder of its own, with the bucket <see cref="BucketName"/> created at start. One server serves the whole collection;
/// it is stopped (and its folder removed) after the last test, and stops by itself if the test process dies.
/// </summary>
/// <remarks>
/// s3rver checks that a SigV4 request's access key ID is one it knows and that a presigned URL has not expired, but not
/// the signature itself, so a wrong secret is accepted; an unknown access key ID is refused (403 InvalidAccessKeyId).
/// </remarks>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string BucketName = "tryon-test";

    /// <summary>s3rver's own credentials.</summary>
    public const string AccessKeyId = "S3RVER";

    public const string SecretAccessKey = "S3RVER";

    /// <summary>A second access key ID the server accepts, for the leak tests: found nowhere else in the process's text.</summary>
    public const string SentinelAccessKeyId = "SENTINELKEYID0S3A7F3";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "alitryon-s3rver-" + Guid.NewGuid().ToString("N"));
    private Process? _server;
    private AmazonS3Client? _admin;

    /// <summary>The server's address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>A client with s3rver's own credentials, to look at the bucket independently of the host under test.</summary>
    public AmazonS3Client Admin => _admin ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A plain HTTP client with no credentials of any kind: what the try-on service fetches images with.</summary>
    public HttpClient Anonymous { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    public async Task InitializeAsync()
    {
        var folder = ServerFolder();
        await EnsureInstalledAsync(folder);

        Directory.CreateDirectory(_dataFolder);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "launch.js", _dataFolder, BucketName, SentinelAccessKeyId })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _server = Process.Start(start) ?? throw new InvalidOperationException("`node launch.js` did not start.");
        }
        catch (Win32Exception notFound)
        {
            throw new InvalidOperationException($"Node.js (`node`) could not be started, and the S3 tests run s3rver with it: install Node.js, then run `npm ci` in {folder}. ({notFound.Message})", notFound);
        }

        _server.EnableRaisingEvents = true;
        _server.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && text.StartsWith("listening ", StringComparison.Ordinal))
            {
                _listening.TrySetResult(new Uri("http://" + text["listening ".Length..].Trim() + "/"));
            }
        };
        _server.ErrorDataReceived += (_, line) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(line.Data);
            }
        };
        _server.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"s3rver exited with code {_server.ExitCode} before listening: {Errors()}"));
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        try
        {
            ServiceUrl = await _listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"s3rver did not listen within {StartTimeout.TotalSeconds} s: {Errors()}");
        }

        _admin = CreateClient(AccessKeyId, SecretAccessKey);
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        Anonymous.Dispose();
        if (_server is { } server)
        {
            // Closing its standard input stops it; killed if it has not gone within a few seconds.
            server.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await server.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                server.Kill(entireProcessTree: true);
            }

            server.Dispose();
        }

        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }

    /// <summary>Options of a host on this server: path-style, its own key prefix, the given (or s3rver's) credentials.</summary>
    public S3ImageHostOptions CreateOptions(string keyPrefix, string accessKeyId = AccessKeyId, string secretAccessKey = SecretAccessKey) => new()
    {
        BucketName = BucketName,
        KeyPrefix = keyPrefix,
        ServiceUrl = ServiceUrl,
        ForcePathStyle = true,
        AccessKeyId = accessKeyId,
        SecretAccessKey = secretAccessKey,
    };

    /// <summary>An S3 client of this server, as a user would set one up for s3rver or MinIO.</summary>
    public AmazonS3Client CreateClient(string accessKeyId, string secretAccessKey, Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = ServiceUrl.AbsoluteUri,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        configure?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials(accessKeyId, secretAccessKey), config);
    }

    /// <summary>Whether the bucket holds <paramref name="objectKey"/>, asked with the admin credentials.</summary>
    public async Task<bool> ExistsAsync(string objectKey)
    {
        try
        {
            await Admin.GetObjectMetadataAsync(BucketName, objectKey);
            return true;
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The keys of every object under <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string prefix)
    {
        var listed = await Admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = BucketName, Prefix = prefix });
        return [.. (listed.S3Objects ?? []).Select(static o => o.Key)];
    }

    /// <summary>The object key a presigned path-style URL of this server points at.</summary>
    public static string ObjectKeyOf(Uri url)
    {
        var bucketPath = "/" + BucketName + "/";
        Assert.StartsWith(bucketPath, url.AbsolutePath, StringComparison.Ordinal);
        return Uri.UnescapeDataString(url.AbsolutePath[bucketPath.Length..]);
    }

    /// <summary>
    /// Installs s3rver at the version its lock file pins (`npm ci`) when a fresh clone has not yet, so `dotnet test`
    /// alone sets up what its tests need. Two test projects may get here at once: one installs, the other waits.
    /// </summary>
    private static async Task EnsureInstalledAsync(string folder)
    {
        var installed = Path.Combine(folder, "node_modules", "s3rver", "package.json");
        if (File.Exists(installed))
        {
            return;
        }

        await using var gate = await LockAsync(Path.Combine(folder, ".install.lock"));
        if (File.Exists(installed))
        {
            return; // the other project installed it while this one waited
        }

        var npm = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var install = Process.Start(npm) ?? throw new InvalidOperationException("`npm ci` did not start.");
            var output = install.StandardOutput.ReadToEndAsync();
            var errors = install.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await install.WaitForExitAsync(limit.Token);
            if (install.ExitCode != 0 || !File.Exists(installed))
            {
                throw new InvalidOperationException($"`npm ci` in {folder} failed (exit code {install.ExitCode}), so the S3 tests have no server:\n{await output}\n{await errors}");
            }
        }
        catch (System.ComponentModel.Win32Exception notFound)
        {
            throw new InvalidOperationException($"npm could not be started, and the S3 tests install s3rver with it: install Node.js and npm, or run `npm ci` in {folder}. ({notFound.Message})", notFound);
        }
    }

    /// <summary>An exclusive lock on a file, shared by every process that opens it the same way.</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200)); // another process installs; look again shortly
            }
        }
    }

    private static string ServerFolder() =>
        typeof(S3rverFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(static a => a.Key == "S3rverFolder").Value!;

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.Length == 0 ? "(nothing on standard error)" : _errors.ToString().Trim();
        }
    }
}
