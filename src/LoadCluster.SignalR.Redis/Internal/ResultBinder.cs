using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>Binds a forwarded completion to the return type the caller asked for.</summary>
internal sealed class ResultBinder(Type returnType) : IInvocationBinder
{
    public Type GetReturnType(string invocationId) => returnType;

    public IReadOnlyList<Type> GetParameterTypes(string methodName) => throw new NotSupportedException("only completions are parsed here");

    public Type GetStreamItemType(string streamId) => throw new NotSupportedException("only completions are parsed here");
}
