using System.Diagnostics;
using OpenTelemetry;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Leaves out of the export Blazor's span of a page's route ("Route / -> Overview", from .NET 10's
/// Microsoft.AspNetCore.Components source, which the ASP.NET Core instrumentation subscribes to):
/// Blazor starts it as a trace of its own (it clears the current span first), only linked to its
/// request, whose span already is the page's, so every page view would be two traces. The sampler
/// cannot tell: when it is asked, the request is still the parent. A span not recorded is not exported.
/// </summary>
internal sealed class PageRouteSpans : BaseProcessor<Activity>
{
    private const string BlazorSource = "Microsoft.AspNetCore.Components";

    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Source.Name == BlazorSource && data.ParentSpanId == default) data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
    }
}
