using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis.Tests.Infrastructure;

public sealed class TestHub : Hub;
