using System.Globalization;
using System.Net;
using System.Text;

namespace AliTryOn.Tests.Properties;

/// <summary>One answer of the service or its gateway, from the space the oracle covers: status, code, gateway message, body shape.</summary>
internal sealed record OracleCase(OracleCase.Operation Op, int Status, string? Code, bool CodeAsNumber, string? GatewayMessage, OracleCase.Body Shape)
{
    public enum Operation
    {
        Submit,
        Query,
    }

    /// <summary>The shapes a body takes: the service's envelopes, the gateway's empty or HTML pages, and a cut one.</summary>
    public enum Body
    {
        /// <summary>No body at all, as the gateway often answers.</summary>
        Empty,

        /// <summary>An HTML error page of a proxy.</summary>
        Html,

        /// <summary><c>{"code":…,"message":…,"success":false}</c>.</summary>
        Error,

        /// <summary><c>{"code":…,"message":…,"success":true}</c> without data.</summary>
        SuccessTrueWithCode,

        /// <summary>A whole job envelope: <c>{"code":…,"data":{"result_key":"rk","task_list":[…]},"success":true}</c>.</summary>
        Job,


        /// <summary><c>{"success":false,"message":…}</c> with no code.</summary>
        SuccessFalseWithoutCode,

        /// <summary>An error envelope cut off after its code.</summary>
        CutAfterCode,
    }

    /// <summary>Whether the body has a <c>code</c> field.</summary>
    public bool CarriesCode => Code is not null && Shape is not (Body.Empty or Body.Html or Body.SuccessFalseWithoutCode);

    /// <summary>A fresh response for one attempt.</summary>
    public HttpResponseMessage ToResponse()
    {
        var code = Code is null ? null : CodeAsNumber ? Code : "\"" + Code + "\"";
        var codeField = CarriesCode ? $"\"code\":{code}," : string.Empty;
        var text = Shape switch
        {
            Body.Empty => null,
            Body.Html => "<html><head><title>Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
            Body.Error => $$"""{{{codeField}}"message":"refused","requestId":"req-1","success":false}""",
            Body.SuccessTrueWithCode => $$"""{{{codeField}}"message":"success","requestId":"req-1","success":true}""",
            Body.Job => $$"""{{{codeField}}"data":{"result_key":"rk","task_list":[{"status":"WAITING"}]},"message":"success","requestId":"req-1","success":true}""",
            Body.SuccessFalseWithoutCode => """{"message":"something went wrong","success":false}""",
            Body.CutAfterCode => $$"""{{{codeField}}"message":"cut of""",
            _ => throw new InvalidOperationException(Shape.ToString()),
        };
        var response = new HttpResponseMessage((HttpStatusCode)Status);
        if (text is not null)
        {
            response.Content = new StringContent(text, Encoding.UTF8, Shape == Body.Html ? "text/html" : "application/json");
        }

        if (GatewayMessage is not null)
        {
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", GatewayMessage);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Code", "I" + Status.ToString(CultureInfo.InvariantCulture) + "XX");
        }

        return response;
    }

    public override string ToString() =>
        $"{Op} answered HTTP {Status}, body {Shape}{(CarriesCode ? $" with code {(CodeAsNumber ? Code : "\"" + Code + "\"")}" : string.Empty)}{(GatewayMessage is null ? string.Empty : $", X-Ca-Error-Message '{GatewayMessage}'")}";
}
