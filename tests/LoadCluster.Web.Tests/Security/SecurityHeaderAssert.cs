namespace LoadCluster.Web.Tests.Security;

/// <summary>The headers every response of the Web carries.</summary>
internal static class SecurityHeaderAssert
{
    public static void Present(HttpResponseMessage response, string path)
    {
        var csp = Header(response, "Content-Security-Policy", path);
        foreach (var directive in new[] { "default-src 'none'", "script-src 'self'", "style-src 'self' 'sha256-", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'self'" })
            Assert.True(csp.Contains(directive, StringComparison.Ordinal), $"{path}: CSP '{csp}' lacks {directive}");
        // Inline scripts and style elements never; style attributes only (the overview rows' order).
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.DoesNotContain("unsafe", directives["script-src"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", directives["style-src"], StringComparison.Ordinal);
        Assert.Equal("style-src-attr 'unsafe-inline'", directives["style-src-attr"]);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options", path));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy", path));
        Assert.Equal("DENY", Header(response, "X-Frame-Options", path));
    }

    private static string Header(HttpResponseMessage response, string name, string path) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{path}: no {name} header");
}
