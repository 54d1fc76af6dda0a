using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Benchmarks.Support;

/// <summary>The inputs every contender sends, and the bodies the canned service answers with.</summary>
internal static class BenchmarkData
{
    public const string Endpoint = "https://bench.example.test";
    public const string AppCode = "3f9a1c2be8d74a6f9c0e5b7d21a4c8e6";
    public const string SubmitPath = "/api/v2/tryon/submit";
    public const string QueryPath = "/api/v2/tryon/query";
    public const string ModelImage = "https://img.alicdn.com/imgextra/i4/O1CN01model_2000x3000.jpg";
    public const string UpperImage = "https://img.alicdn.com/imgextra/i2/O1CN01shirt_1600x1600.jpg";
    public const string ResultKey = "93be295cc7354d59bb6c3d12120f66c0";
    public const string RequestId = "9F434E8A-6C86-46E8-B200-D0F1A2915293";

    /// <summary>The submit answer, shaped like the document's example: one task, its inputs echoed, <c>WAITING</c>.</summary>
    public static readonly byte[] SubmitResponse = """
        {"code":0,"data":{"result_key":"93be295cc7354d59bb6c3d12120f66c0","task_list":[{"model_image":"https://img.alicdn.com/imgextra/i4/O1CN01model_2000x3000.jpg","upper_image":{"type":0,"url":"https://img.alicdn.com/imgextra/i2/O1CN01shirt_1600x1600.jpg"},"inferenceMode":0,"status":"WAITING"}]},"message":"success","requestId":"9F434E8A-6C86-46E8-B200-D0F1A2915293","severity":"info","success":true}
        """u8.ToArray();

    /// <summary>The query answer of a finished job: one task, <c>SUCCESS</c>, four signed, expiring result URLs.</summary>
    public static readonly byte[] QueryResponse = """
        {"code":0,"data":{"result_key":"93be295cc7354d59bb6c3d12120f66c0","task_list":[{"status":"SUCCESS","results":["https://tryon-output.oss-cn-hangzhou.aliyuncs.com/results/93be295cc7354d59bb6c3d12120f66c0/0_0.png?Expires=1767225600&OSSAccessKeyId=LTAI5tQm3vZ8fK2pXr7nW9bY&Signature=kq3Zp8Xv1mR%2FtY6uW0sN4aB7cD8%3D","https://tryon-output.oss-cn-hangzhou.aliyuncs.com/results/93be295cc7354d59bb6c3d12120f66c0/0_1.png?Expires=1767225600&OSSAccessKeyId=LTAI5tQm3vZ8fK2pXr7nW9bY&Signature=Pw7Hn2Lc5dQ%2BrT9yU1vM3xE6fG0%3D","https://tryon-output.oss-cn-hangzhou.aliyuncs.com/results/93be295cc7354d59bb6c3d12120f66c0/0_2.png?Expires=1767225600&OSSAccessKeyId=LTAI5tQm3vZ8fK2pXr7nW9bY&Signature=Zt4Jk8Bn1sW%2FqE5rY7uI9oP2aS3%3D","https://tryon-output.oss-cn-hangzhou.aliyuncs.com/results/93be295cc7354d59bb6c3d12120f66c0/0_3.png?Expires=1767225600&OSSAccessKeyId=LTAI5tQm3vZ8fK2pXr7nW9bY&Signature=Mx6Vc3Nb8hD%2BgF2jK4lL1zQ7wR5%3D"]}]},"message":"success","requestId":"9F434E8A-6C86-46E8-B200-D0F1A2915293","severity":"info","success":true}
        """u8.ToArray();

    public static TryOnClientOptions Options(Action<TryOnClientOptions>? configure = null)
    {
        var options = new TryOnClientOptions { Endpoint = new Uri(Endpoint), AppCode = AppCode };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A container with the default <c>AddTryOnClient</c> registration, sending through <paramref name="transport"/>.</summary>
    public static ServiceProvider Services(HttpMessageHandler transport)
    {
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
            {
                o.Endpoint = new Uri(Endpoint);
                o.AppCode = AppCode;
            })
            .ConfigurePrimaryHttpMessageHandler(() => transport);
        return services.BuildServiceProvider();
    }

    /// <summary>The result URLs of <see cref="QueryResponse"/>, as the service sent them.</summary>
    public static string[] ResultUrls() =>
        System.Text.Json.JsonSerializer.Deserialize(QueryResponse, Wire.RawJsonContext.Default.RawResponse)!.Data!.TaskList![0].Results!;

    public static TryOnTask Task() =>
        new(new Uri(ModelImage), Upper: new GarmentImage(new Uri(UpperImage), GarmentKind.FlatLay));
}
