using System.Text;
using AliTryOn.Http;

namespace AliTryOn.Tests.Http;

/// <summary>
/// The lenient reading of bodies the envelope cannot describe: the top-level fields that say how a call went, and
/// the result key an unreadable submit answer names (what a user then sees as the error's code or the job's key).
/// </summary>
public class ResponseInspectorTests
{
    public static TheoryData<string, string?, bool?, string?, string?> Fields => new()
    {
        // Nested objects and arrays are skipped whatever they hold; only top-level fields count, in any order.
        { """{"data":{"x":[1,{"code":"nested","success":true}]},"message":"m","code":23500004,"success":"false","requestId":"r"}""", "23500004", false, "m", "r" },
        { """{"requestId":"r2","success":true,"code":"0"}""", "0", true, null, "r2" },
        { """{"requestId":"r3","extra":"x","more":{"requestId":"inner"}}""", null, null, null, "r3" },
        { """{"success":"True"}""", null, true, null, null },
        { """{"success":false,"code":"5"}""", "5", false, null, null },
        { """{"success":"yes","code":null,"message":7}""", null, null, "7", null },
        { """{"success":1,"code":{"a":1},"message":["m"]}""", null, null, null, null },
        { """{"code":1.5e3}""", "1.5e3", null, null, null },
        { """{"code":-12}""", "-12", null, null, null },
        // A body that breaks off keeps what came before the break.
        { """{"code":"23500008","message":"cut""", "23500008", null, null, null },
        { """{"code":"2","message""", "2", null, null, null },
        { """{"code":"2","success":""", "2", null, null, null },
        { """{"code""", null, null, null, null },
        { """{"code":"3",}""", "3", null, null, null },
        // Not an object: nothing is read.
        { """[{"code":"1"}]""", null, null, null, null },
        { "\"code\"", null, null, null, null },
        { "<html>code</html>", null, null, null, null },
        { string.Empty, null, null, null, null },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Top_level_fields_are_read_leniently(string body, string? code, bool? success, string? message, string? requestId)
    {
        var fields = ResponseInspector.ReadFields(Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, fields.Code);
        Assert.Equal(success, fields.Success);
        Assert.Equal(message, fields.Message);
        Assert.Equal(requestId, fields.RequestId);
    }

    [Fact]
    public void Invalid_utf8_in_a_field_keeps_the_fields_read_before_it()
    {
        var body = Encoding.UTF8.GetBytes("""{"code":"7","requestId":"r","message":"x""").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        var fields = ResponseInspector.ReadFields(body);

        Assert.Equal("7", fields.Code);
        Assert.Equal("r", fields.RequestId);
        Assert.Null(fields.Message);
    }

    public static TheoryData<string, string?> ResultKeys => new()
    {
        { """{"code":0,"data":{"task_list":[{"result_key":"nested"}],"result_key":"rk"}}""", "rk" },
        { """{"message":{"data":{"result_key":"deep"}},"data":{"result_key":"rk2","task_li""", "rk2" },
        { """{"data":{"result_key":" rk3 "}}""", " rk3 " },
        { """{"data":{"a":{"result_key":"nested"},"result_key":"rk4"}}""", "rk4" },
        { """{"x":{"result_key":"elsewhere"}}""", null },
        { """{"data":{"result_key":"  "}}""", null },
        { """{"data":{"result_key":""}}""", null },
        { """{"data":{"result_key":5}}""", null },
        { """{"data":{"result_key":null}}""", null },
        { """{"data":[{"result_key":"x"}]}""", null },
        { """{"data":"rk"}""", null },
        { """{"result_key":"top"}""", null },
        { """{"x":{"data":{"result_key":"deep"}}}""", null },
        { """{"data":{"a":1},"result_key":"after"}""", null },
        { """{"data":{"a":1}}""", null },
        { """{"data":{"result_key""", null },
        { """{"data":{"result_key":""", null },
        { """{"data""", null },
        { """{"data":""", null },
        { "[]", null },
        { string.Empty, null },
    };

    [Theory]
    [MemberData(nameof(ResultKeys))]
    public void Only_data_result_key_names_the_job(string body, string? expected) =>
        Assert.Equal(expected, ResponseInspector.ReadResultKey(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData(200, null, null, true)]
    [InlineData(299, "0", true, true)]
    [InlineData(200, "200", null, false)]
    [InlineData(200, " 0 ", null, true)]
    [InlineData(199, null, null, false)]
    [InlineData(300, null, null, false)]
    [InlineData(204, null, false, false)]
    [InlineData(200, "23500004", true, false)]
    public void A_success_needs_a_2xx_status_no_false_flag_and_a_success_code(int status, string? code, bool? success, bool expected) =>
        Assert.Equal(expected, ResponseInspector.IsSuccess(status, code, success));
}
