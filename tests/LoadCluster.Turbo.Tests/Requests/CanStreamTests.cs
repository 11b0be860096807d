using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo.Tests.Requests;

public sealed class CanStreamTests
{
    [Theory]
    [InlineData("text/vnd.turbo-stream.html, text/html, application/xhtml+xml", true)] // what Turbo sends
    [InlineData("text/vnd.turbo-stream.html", true)]
    [InlineData("text/html;q=0.9, text/vnd.turbo-stream.html", true)]
    [InlineData("text/html, text/vnd.turbo-stream.html", true)] // equal quality: stream wins
    [InlineData("TEXT/VND.TURBO-STREAM.HTML, text/html", true)]
    [InlineData("text/vnd.turbo-stream.html;q=0.5, text/*;q=0.4", true)]
    [InlineData("text/html, text/vnd.turbo-stream.html;q=0.5", false)]
    [InlineData("text/vnd.turbo-stream.html;q=0.5, text/*", false)]
    [InlineData("text/vnd.turbo-stream.html;q=0", false)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false)] // a browser without Turbo
    [InlineData("*/*", false)] // curl: did not ask for streams
    [InlineData("", false)]
    [InlineData("not a media type;;", false)]
    public void Can_stream_when_the_stream_type_is_named_and_matches_best_over_html(string accept, bool expected)
    {
        var context = new DefaultHttpContext();
        if (accept.Length > 0) context.Request.Headers.Accept = accept;
        Assert.Equal(expected, context.Request.CanStream());
    }

    [Fact]
    public void The_turbo_frame_header_names_the_requested_frame()
    {
        var context = new DefaultHttpContext();
        Assert.Null(context.Request.TurboFrame());
        context.Request.Headers["Turbo-Frame"] = "host-detail";
        Assert.Equal("host-detail", context.Request.TurboFrame());
    }
}
