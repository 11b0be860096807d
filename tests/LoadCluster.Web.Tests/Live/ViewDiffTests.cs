using LoadCluster.Web.Board;
using LoadCluster.Web.Live;
using LoadCluster.Web.Overview;

namespace LoadCluster.Web.Tests.Live;

/// <summary>What a view's push carries, decided by the pure <see cref="ViewDiff"/>: no app, no clock, no rendering.</summary>
public sealed class ViewDiffTests
{
    private readonly ViewDiff _diff = new();

    [Fact]
    public void The_first_push_is_the_whole_view()
    {
        Assert.True(_diff.Plan(View(list: 1, ("a", 1), ("b", 1))).IsWhole);
    }

    [Fact]
    public void After_the_whole_view_only_rows_whose_host_changed_are_due()
    {
        var first = View(list: 1, ("a", 1), ("b", 1), ("c", 1));
        Sent(first);

        var plan = _diff.Plan(View(list: 1, ("a", 1), ("b", 2), ("c", 1)));

        Assert.False(plan.IsWhole);
        Assert.Equal(["b"], plan.Due.Select(r => r.Key.Name));
        Assert.Empty(plan.Removed);
    }

    [Fact]
    public void Nothing_is_due_when_nothing_changed()
    {
        Sent(View(list: 1, ("a", 1)));

        var plan = _diff.Plan(View(list: 1, ("a", 1)));

        Assert.False(plan.IsWhole);
        Assert.Empty(plan.Due);
        Assert.Empty(plan.Removed);
    }

    [Fact]
    public void A_row_that_left_the_view_is_removed_and_one_that_entered_is_due_first()
    {
        Sent(View(list: 1, ("a", 1), ("b", 1)));

        var plan = _diff.Plan(View(list: 1, ("a", 2), ("c", 1)));

        Assert.Equal(["b"], plan.Removed);
        Assert.Equal(["c", "a"], plan.Due.Select(r => r.Key.Name)); // c was never sent: it waited longest
    }

    [Fact]
    public void A_changed_host_list_or_a_view_turning_empty_or_not_sends_the_whole_view()
    {
        Sent(View(list: 1, ("a", 1)));
        Assert.True(_diff.Plan(View(list: 2, ("a", 1))).IsWhole);
        Assert.True(_diff.Plan(View(list: 1)).IsWhole);

        Sent(View(list: 1));
        Assert.True(_diff.Plan(View(list: 1, ("a", 1))).IsWhole);
    }

    [Fact]
    public void Rows_left_out_by_the_byte_budget_come_first_next_time_longest_waiting_first()
    {
        Sent(View(list: 1, ("a", 1), ("b", 1), ("c", 1)));
        var busy = View(list: 1, ("a", 2), ("b", 2), ("c", 2));
        var plan = _diff.Plan(busy);
        _diff.Sent(busy, plan, plan.Due.Take(1).Select(r => (r, 0UL))); // only a fitted

        var next = _diff.Plan(View(list: 1, ("a", 3), ("b", 2), ("c", 2)));

        Assert.Equal(["b", "c", "a"], next.Due.Select(r => r.Key.Name));
    }

    [Fact]
    public void A_new_client_makes_rows_it_holds_that_others_may_lack_due_and_the_counts_and_summary_again()
    {
        Sent(View(list: 1, ("a", 1)));
        Assert.True(_diff.CountsChanged(View(list: 1, ("a", 1))));
        Assert.True(_diff.SummaryChanged("<summary 1>"));
        Assert.False(_diff.CountsChanged(View(list: 1, ("a", 1))));
        Assert.False(_diff.SummaryChanged("<summary 1>"));

        // The new client's state had b, which the others never got.
        _diff.Joined(View(list: 1, ("a", 1), ("b", 1)));

        Assert.Equal(["b"], _diff.Plan(View(list: 1, ("a", 1), ("b", 1))).Due.Select(r => r.Key.Name));
        Assert.True(_diff.CountsChanged(View(list: 1, ("a", 1), ("b", 1))));
        Assert.True(_diff.SummaryChanged("<summary 1>"));
    }

    [Fact]
    public void A_row_that_would_show_what_every_client_holds_is_not_sent_and_not_due_again()
    {
        Sent(View(list: 1, ("a", 1), ("b", 1)));
        var changed = View(list: 1, ("a", 2), ("b", 2));
        var plan = _diff.Plan(changed);
        _diff.Sent(changed, plan, plan.Due.Select(r => (r, 42UL)));

        var next = View(list: 1, ("a", 3), ("b", 3));
        var due = _diff.Plan(next).Due;
        Assert.True(_diff.Holds(due[0], 42));
        Assert.False(_diff.Holds(due[1], 43));

        Assert.Equal(["b"], _diff.Plan(next).Due.Select(r => r.Key.Name));
    }

    [Fact]
    public void After_a_new_client_joined_no_row_counts_as_held_by_all_until_sent_again()
    {
        Sent(View(list: 1, ("a", 1)));
        var changed = View(list: 1, ("a", 2));
        var plan = _diff.Plan(changed);
        _diff.Sent(changed, plan, plan.Due.Select(r => (r, 42UL)));

        _diff.Joined(View(list: 1, ("a", 3)));

        Assert.False(_diff.Holds(_diff.Plan(View(list: 1, ("a", 4))).Due[0], 42));
    }

    [Fact]
    public void After_a_failed_push_everything_is_sent_again()
    {
        Sent(View(list: 1, ("a", 1)));
        _diff.CountsChanged(View(list: 1, ("a", 1)));
        _diff.SummaryChanged("<summary>");

        _diff.Forget();

        Assert.True(_diff.Plan(View(list: 1, ("a", 1))).IsWhole);
        Assert.True(_diff.CountsChanged(View(list: 1, ("a", 1))));
        Assert.True(_diff.SummaryChanged("<summary>"));
    }

    [Fact]
    public void Counts_change_with_the_rows_shown_the_matches_or_a_state()
    {
        Assert.True(_diff.CountsChanged(View(list: 1, ("a", 1))));
        Assert.False(_diff.CountsChanged(View(list: 1, ("a", 2))));
        Assert.True(_diff.CountsChanged(View(list: 1, ("a", 2), ("b", 1))));
        Assert.True(_diff.CountsChanged(View(list: 1, [("a", 2, HostState.Stale), ("b", 1, HostState.Live)])));
    }

    private void Sent(OverviewView view) => _diff.Sent(view, _diff.Plan(view), []);

    private static OverviewView View(long list, params (string Name, long Version)[] hosts) =>
        View(list, [.. hosts.Select(h => (h.Name, h.Version, HostState.Live))]);

    /// <summary>A view of these hosts in this order (CSS orders 0, 1, …), all matching, on host list version <paramref name="list"/>.</summary>
    private static OverviewView View(long list, (string Name, long Version, HostState State)[] hosts)
    {
        var rows = hosts.Select((h, i) => new OverviewRow(new HostKey(h.Name, i, h.State, 1, 1, 1, 2, 10, 10, h.Version), i)).ToList();
        int[] byState = [hosts.Count(h => h.State == HostState.Live), hosts.Count(h => h.State == HostState.Stale), hosts.Count(h => h.State == HostState.Offline)];
        return new OverviewView(OverviewQuery.Default, rows, rows.Count, byState, rows.Count, list);
    }
}
