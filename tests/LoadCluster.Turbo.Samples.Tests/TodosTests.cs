using LoadCluster.Testing;
using Microsoft.Playwright;

namespace LoadCluster.Turbo.Samples.Tests;

/// <summary>
/// samples/Todos in Chromium, with anti-forgery on: sign in, add todos twice in a row (each answer
/// replaces the form with one rendered in that request, so the next post carries its fresh token),
/// get a 422 for an empty one and add from that page, and see each todo pushed to every page of
/// the same user and to no one else.
/// </summary>
public sealed class TodosTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly float Patience = 30_000;

    [Fact]
    public async Task Forms_rendered_by_the_library_post_again_twice_in_a_row_and_from_the_422_page()
    {
        await using var app = await Sample.StartAsync("Todos");
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignInAsync(context, app, "ann");
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await AddAsync(page, "buy eggs");
        await AddAsync(page, "walk the dog");

        await page.ClickAsync("#add"); // empty: 422 with the page and the form re-rendered
        await page.WaitForSelectorAsync("#error", new() { Timeout = Patience });
        Assert.Equal("Write what there is to do.", await page.InnerTextAsync("#error"));
        Assert.Equal("ann", await page.InnerTextAsync("#user")); // the 422 render saw the user
        await AddAsync(page, "from the 422 page");

        Assert.Equal(["buy eggs", "walk the dog", "from the 422 page"], await page.Locator("#todos li").AllInnerTextsAsync());
        Assert.Empty(errors);
        Assert.DoesNotContain("anti-forgery", app.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_new_todo_is_pushed_to_every_page_of_its_user_and_to_no_other_user()
    {
        await using var app = await Sample.StartAsync("Todos");
        await using var ann = await chromium.Browser.NewContextAsync();
        await using var bob = await chromium.Browser.NewContextAsync();
        var annFirst = await SignInAsync(ann, app, "ann");
        var annSecond = await ann.NewPageAsync(); // same cookie: the same user in another tab
        await annSecond.GotoAsync(app.Url("/"));
        await WaitLiveAsync(annSecond);
        var bobPage = await SignInAsync(bob, app, "bob");

        await AddAsync(annFirst, "shared between ann's tabs");

        await annSecond.Locator("#todos li", new() { HasText = "shared between ann's tabs" }).WaitForAsync(new() { Timeout = Patience });
        await AddAsync(bobPage, "bob's own"); // once bob's push has come, ann's would have too
        Assert.Equal(["bob's own"], await bobPage.Locator("#todos li").AllInnerTextsAsync());
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, AppProcess app, string name)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.Url("/")); // not signed in: the cookie handler sends us to /signin
        await page.FillAsync("#name", name);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync($"#user:has-text('{name}')", new() { Timeout = Patience });
        await WaitLiveAsync(page);
        return page;
    }

    /// <summary>Types and submits a todo, then waits for its push and for the form the answer re-rendered.</summary>
    private static async Task AddAsync(IPage page, string text)
    {
        await page.EvaluateAsync("() => { document.getElementById('todo-form').dataset.old = 'yes'; }");
        await page.FillAsync("#text", text);
        await page.ClickAsync("#add");
        await page.Locator("#todos li", new() { HasText = text }).WaitForAsync(new() { Timeout = Patience });
        await page.WaitForFunctionAsync("() => { const form = document.getElementById('todo-form'); return form && !form.dataset.old; }", null, new() { Timeout = Patience, PollingInterval = 50 });
        Assert.NotEmpty(await page.GetAttributeAsync("#todo-form input[name=__RequestVerificationToken]", "value") ?? "");
    }

    private static Task WaitLiveAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.documentElement.dataset.turboConnection === 'live'", null, new() { Timeout = Patience, PollingInterval = 50 });
}
