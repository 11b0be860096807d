using LoadCluster.Turbo;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Streams;

public sealed class TurboStreamTests
{
    [Theory]
    [InlineData("append")]
    [InlineData("prepend")]
    [InlineData("before")]
    [InlineData("after")]
    [InlineData("replace")]
    [InlineData("update")]
    public void Content_actions_wrap_the_html_in_a_template_for_the_target_id(string action)
    {
        var built = action switch
        {
            "append" => TurboStream.Append("rows", "<li>a</li>"),
            "prepend" => TurboStream.Prepend("rows", "<li>a</li>"),
            "before" => TurboStream.Before("rows", "<li>a</li>"),
            "after" => TurboStream.After("rows", "<li>a</li>"),
            "replace" => TurboStream.Replace("rows", "<li>a</li>"),
            _ => TurboStream.Update("rows", "<li>a</li>"),
        };
        Assert.Equal($"<turbo-stream action=\"{action}\" target=\"rows\"><template><li>a</li></template></turbo-stream>", built.ToString());
    }

    [Fact]
    public void Replace_and_update_can_morph()
    {
        Assert.Equal("<turbo-stream action=\"replace\" target=\"row-1\" method=\"morph\"><template><tr id=\"row-1\"></tr></template></turbo-stream>",
            TurboStream.Replace("row-1", "<tr id=\"row-1\"></tr>", morph: true).ToString());
        Assert.Equal("<turbo-stream action=\"update\" target=\"count\" method=\"morph\"><template>3</template></turbo-stream>",
            TurboStream.Update("count", "3", morph: true).ToString());
    }

    [Fact]
    public void Remove_has_no_template()
    {
        Assert.Equal("<turbo-stream action=\"remove\" target=\"row-1\"></turbo-stream>", TurboStream.Remove("row-1").ToString());
    }

    [Fact]
    public void Refresh_has_no_target_and_carries_an_optional_request_id()
    {
        Assert.Equal("<turbo-stream action=\"refresh\"></turbo-stream>", TurboStream.Refresh().ToString());
        Assert.Equal("<turbo-stream action=\"refresh\" request-id=\"abc-123\"></turbo-stream>", TurboStream.Refresh("abc-123").ToString());
    }

    [Fact]
    public void A_selector_target_becomes_the_targets_attribute()
    {
        Assert.Equal("<turbo-stream action=\"remove\" targets=\".row.stale\"></turbo-stream>", TurboStream.Remove(TurboTarget.Selector(".row.stale")).ToString());
        Assert.Equal("<turbo-stream action=\"update\" targets=\"#a &gt; td\"><template>x</template></turbo-stream>", TurboStream.Update(TurboTarget.Selector("#a > td"), "x").ToString());
    }

    [Fact]
    public void Empty_content_is_an_empty_template()
    {
        Assert.Equal("<turbo-stream action=\"update\" target=\"x\"><template></template></turbo-stream>", TurboStream.Update("x", "").ToString());
    }

    [Fact]
    public void Several_actions_combine_into_one_message_in_order()
    {
        var message = TurboStream.Combine(TurboStream.Remove("a"), TurboStream.Append("list", "<li>b</li>"), TurboStream.Refresh());
        Assert.Equal("<turbo-stream action=\"remove\" target=\"a\"></turbo-stream>"
            + "<turbo-stream action=\"append\" target=\"list\"><template><li>b</li></template></turbo-stream>"
            + "<turbo-stream action=\"refresh\"></turbo-stream>", message);
    }

    [Fact]
    public async Task Actions_go_where_stream_markup_goes_one_or_several()
    {
        var append = TurboStream.Append("list", "<li>1</li>");
        var remove = TurboStream.Remove("old");
        string markup = append;
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services, Response = { Body = new MemoryStream() } };

        await TurboResults.Stream(append, remove).ExecuteAsync(context);

        Assert.Equal(append.Markup, markup);
        context.Response.Body.Position = 0;
        Assert.Equal(append.Markup + remove.Markup, await new StreamReader(context.Response.Body).ReadToEndAsync());
        Assert.Equal("text/vnd.turbo-stream.html; charset=utf-8", context.Response.ContentType);
    }

    [Fact]
    public void Hostile_attribute_values_are_encoded()
    {
        var selector = TurboStream.Remove(TurboTarget.Selector("\"><script>alert(1)</script>"));
        Assert.Equal("<turbo-stream action=\"remove\" targets=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"></turbo-stream>", selector.ToString());

        var id = TurboStream.Remove("a\"onclick='x'&<");
        Assert.Equal("<turbo-stream action=\"remove\" target=\"a&quot;onclick=&#x27;x&#x27;&amp;&lt;\"></turbo-stream>", id.ToString());

        var refresh = TurboStream.Refresh("\"><img src=x onerror=alert(1)>");
        Assert.Equal("<turbo-stream action=\"refresh\" request-id=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"></turbo-stream>", refresh.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    public void A_target_that_is_not_a_valid_id_is_refused_with_a_clear_message(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => TurboStream.Append(id, "x"));
        Assert.Contains("id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_selector_and_missing_content_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TurboStream.Remove(TurboTarget.Selector(" ")));
        Assert.Throws<ArgumentNullException>(() => TurboStream.Append("x", null!));
        Assert.Throws<ArgumentException>(() => TurboStream.Refresh(""));
        Assert.Throws<ArgumentException>(() => TurboStream.Remove(default(TurboTarget)));
    }
}
