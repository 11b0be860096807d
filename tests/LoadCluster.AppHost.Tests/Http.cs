using System.Net;

namespace LoadCluster.AppHost.Tests;

internal static class Http
{
    /// <summary>Polls until the URL answers 200: a readiness check may be briefly unhealthy on a loaded machine.</summary>
    public static async Task<HttpStatusCode> WaitOkAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        var status = (HttpStatusCode)0;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(url);
                status = response.StatusCode;
                if (status == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        return status;
    }
}
