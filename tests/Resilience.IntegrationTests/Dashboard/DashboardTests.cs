using System.Text.RegularExpressions;
using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.IntegrationTests.Dashboard;

/// <summary>
/// The live demo (both committed demo stacks, <see cref="DemoStacks"/>) opened in Debian's headless
/// chromium at the URL `stack output` names: each machine's page shows data from its hub (agent names, a tier, the agent
/// count Prometheus answers), and with PC2 stopped MainPC's page still renders and says PC2 is unreachable. The pages
/// are https with the operator's basic auth, as every listener of the stacks: chromium is told to trust the hubs'
/// keys (the pair's private CA is not in its store) and given the operator's credential in the URL. The
/// screenshots are kept under TestResults/dashboard/ (the CI artifact folder).
/// </summary>
[Trait("Category", "Integration")]
[Collection(DemoStacksCollection.Name)]
public sealed partial class DashboardTests(DemoStacks stacks, ITestOutputHelper output)
{
    private static readonly string[] Stacks = DemoStacks.Both;
    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, "TestResults", "dashboard");

    [Fact]
    public async Task Each_hub_serves_a_page_of_both_machines_that_still_renders_with_the_other_machine_gone()
    {
        await stacks.ResetAsync();
        List<string> stopped = [];
        try
        {
            var urls = new Dictionary<string, string>();
            foreach (var stack in Stacks)
            {
                var outputs = await stacks.RunAsync("stack", "output", "--stack", stack, "--json");
                urls[stack] = (string)JsonNode.Parse(outputs.Stdout)!["dashboardUrl"]!;
            }
            Assert.Equal("https://127.0.0.2:9000/consoles/dashboard.html", urls["mainpc"]);
            Assert.Equal("https://127.0.0.3:9100/consoles/dashboard.html", urls["pc2"]);
            var http = stacks.Access("mainpc").Http; // the operator's client: one CA and one credential for the pair
            using (var anonymous = StackAccess.Anonymous())
            using (var refused = await anonymous.GetAsync(urls["mainpc"]))
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            var browser = Browser();

            // A gate's verdict through the page's hook: pushed to PC2's Pushgateway, shown on both pages (CentralHub
            // has it by EdgeHub's remote write).
            var verdict = new StringContent($"resilience_gate_result{{gate=\"week-1\",week=\"1\",result=\"go\"}} {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n");
            using (var pushed = await http.PutAsync($"{stacks.Url("pc2", 9091)}/metrics/job/resilience-gate", verdict))
                Assert.True(pushed.IsSuccessStatusCode, $"push of the gate result: {(int)pushed.StatusCode}");

            // Every agent up in both pages and the other machine's hub seen up: the runtimes sync health over NATS and
            // the hubs scrape every 15 s (EdgeHub) and 30 s (CentralHub).
            var inventory = stacks.Inventory;
            var ready = await Eventually.WithinAsync(TimeSpan.FromMinutes(4), async () =>
                await PageAsync(http, urls["mainpc"]) is { } central && AllUp(central, "mainpc", "pc2") && GateShown(central) &&
                await PageAsync(http, urls["pc2"]) is { } edge && AllUp(edge, "pc2", "mainpc") && GateShown(edge));
            Assert.True(ready is not null, $"the pages never showed 77 agents up and the other hub up:\n{await PageAsync(http, urls["mainpc"])}");
            output.WriteLine($"both pages show 77 agents up {ready!.Value.TotalSeconds:F0} s after the reset");

            foreach (var (stack, peer) in new[] { ("mainpc", "pc2"), ("pc2", "mainpc") })
            {
                var dom = await HeadlessChromium.DumpDomAsync(browser.Url(urls[stack]), browser.Trust);
                // The agent count is Prometheus' answer, not a constant of the page: the same query through the API.
                var runtime = stack == "mainpc" ? "127.0.0.2:9095" : "127.0.0.3:9095";
                var counted = await QueryScalarAsync(http, urls[stack], $"count(resilience_agent_up{{job=\"runtime\",instance=\"{runtime}\"}})");
                Assert.Equal("77", counted);
                Assert.Contains($"<strong>{counted}</strong> agents", dom);
                foreach (var machine in Stacks)
                {
                    var agent = inventory.On(machine).First().Name;
                    Assert.Matches($"""<div class="agent ok" title="{machine}/{agent}">{agent}<small>\d+ ms</small></div>""", dom);
                }
                Assert.Matches($"""<tr id="machine-{stack}">\s*<th>{stack} <small>\(this page\)</small></th>\s*<td class="ok">up</td>""", dom);
                Assert.Matches($"""<tr id="machine-{peer}">\s*<th>{peer} <small>\(scraped from here\)</small></th>\s*<td class="ok">up</td>""", dom);
                Assert.Contains("""<td class="tier"><span class="ok">local-hub</span>""", Row(dom, stack));
                Assert.Contains("""<td class="tier"><span class="ok">local-hub</span>""", Row(dom, peer));
                Assert.Matches($"""<td>{stack}</td><td>{stack}</td><td>1</td><td>3</td><td>\d+</td>""", dom);
                Assert.Matches("""<td>mainpc</td><td>mainpc</td><td>1</td><td>3</td><td>0</td>\s*<td><span class="unknown">no gate result recorded</span></td>""", dom);
                Assert.Matches("""<td>pc2</td><td>pc2</td><td>1</td><td>3</td><td>3</td>\s*<td><span class="ok">go</span> <small>week-1 \(week 1\)""", dom);
                // The leafnode's stream sources as JetStream counts them, read by each runtime.
                Assert.Matches("""<td class="lag"><span class="(ok|warn)">\d+ behind</span>""", Row(dom, stack));
                Assert.Matches("""<td class="lag"><span class="(ok|warn)">\d+ behind</span>""", Row(dom, peer));
                Assert.DoesNotContain("peer-unreachable", dom);
                var png = Path.Combine(Screenshots, $"{stack}.png");
                await HeadlessChromium.ScreenshotAsync(browser.Url(urls[stack]), png, browser.Trust);
                Assert.True(new FileInfo(png).Length > 20_000, $"{png} is only {new FileInfo(png).Length} bytes");
                output.WriteLine($"screenshot of the {stack} page: {png}");
            }

            // The PC2 side gone: every container of the pc2 stack stopped (hub, Pushgateway, NATS, runtime, fleet).
            stopped = [.. ContainersOf("pc2")];
            var stop = Tool.Run("docker", ["stop", "--time", "2", .. stopped]);
            Assert.True(stop.ExitCode == 0, $"docker stop: {stop}");
            var gone = await Eventually.WithinAsync(TimeSpan.FromMinutes(2), async () =>
                await PageAsync(http, urls["mainpc"]) is { } page && page.Contains("id=\"peer-unreachable\"", StringComparison.Ordinal)
                && UnreachableRow().IsMatch(Row(page, "pc2")));
            Assert.True(gone is not null, $"MainPC's page never showed pc2 unreachable:\n{await PageAsync(http, urls["mainpc"])}");
            output.WriteLine($"MainPC's page shows pc2 unreachable {gone!.Value.TotalSeconds:F0} s after pc2 stopped");

            // Both hubs' HubDown rule: CentralHub's fires after its 1 m `for` and shows in the page without an Alertmanager.
            var alerted = await Eventually.WithinAsync(TimeSpan.FromMinutes(3), async () =>
                await PageAsync(http, urls["mainpc"]) is { } page && page.Contains("""<td class="bad">HubDown</td>""", StringComparison.Ordinal));
            Assert.True(alerted is not null, $"MainPC's page never showed HubDown firing:\n{await PageAsync(http, urls["mainpc"])}");
            output.WriteLine($"MainPC's page shows HubDown firing {(gone.Value + alerted!.Value).TotalSeconds:F0} s after pc2 stopped");

            var alone = await HeadlessChromium.DumpDomAsync(browser.Url(urls["mainpc"]), browser.Trust);
            Assert.Matches("""<tr><td class="bad">HubDown</td>(<td>[^<]*</td>){2}<td>pc2</td>""", alone);
            Assert.Contains("pc2 is unreachable from mainpc", alone);
            Assert.Matches(UnreachableRow(), Row(alone, "pc2"));
            Assert.Contains("""<td class="tier"><span class="ok">local-hub</span>""", Row(alone, "mainpc"));
            Assert.Matches($"""<div class="agent ok" title="mainpc/{inventory.On("mainpc").First().Name}">""", alone);
            var lonely = Path.Combine(Screenshots, "mainpc-with-pc2-stopped.png");
            await HeadlessChromium.ScreenshotAsync(browser.Url(urls["mainpc"]), lonely, browser.Trust);
            output.WriteLine($"screenshot of the mainpc page with pc2 stopped: {lonely}");
        }
        finally
        {
            // Back at once: the collection's destroy deletes pc2's streams through its NATS server (a reset would start them too).
            if (stopped.Count > 0) Tool.Run("docker", ["start", .. stopped]);
        }
    }

    /// <summary>The hub, Pushgateway and runtime cells of a machine's row all say "unreachable".</summary>
    [GeneratedRegex("""^(\s*<th>.*</th>)(\s*<td class="bad">unreachable</td>){3}""")]
    private static partial Regex UnreachableRow();

    /// <summary>What chromium needs to open a page as the operator: the hubs' keys trusted, the credential in the URL.</summary>
    private sealed record BrowserAccess(string[] Trust, UserCredential Operator)
    {
        public string Url(string page) => new UriBuilder(page) { UserName = Uri.EscapeDataString(Operator.User), Password = Uri.EscapeDataString(Operator.Password) }.Uri.AbsoluteUri;
    }

    private BrowserAccess Browser()
    {
        var security = stacks.Access("mainpc").Security!;
        var pc2 = stacks.Access("pc2").Security!;
        return new BrowserAccess(HeadlessChromium.TrustingKeys(security.Certificates["mainpc"].CertificatePem, pc2.Certificates["pc2"].CertificatePem),
            security.User(SecurityRoles.Operator));
    }

    /// <summary>The page as the hub serves it, or null while it does not answer.</summary>
    private static async Task<string?> PageAsync(HttpClient http, string url)
    {
        try
        {
            return await http.GetStringAsync(url);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static bool AllUp(string page, string machine, string peer) =>
        page.Contains("<strong>77</strong> agents", StringComparison.Ordinal)
        && page.Contains("""<span class="ok">77 up</span>""", StringComparison.Ordinal)
        && Row(page, peer).Contains("""<td class="ok">up</td>""", StringComparison.Ordinal)
        && new[] { machine, peer }.All(m => Row(page, m).Contains("local-hub", StringComparison.Ordinal) && Row(page, m).Contains(" behind</span>", StringComparison.Ordinal));

    private static bool GateShown(string page) =>
        page.Contains("""<span class="ok">go</span> <small>week-1 (week 1)""", StringComparison.Ordinal);

    /// <summary>The inside of a machine's row of the machines table ("" when the page has none).</summary>
    private static string Row(string page, string machine)
    {
        var start = page.IndexOf($"<tr id=\"machine-{machine}\">", StringComparison.Ordinal);
        if (start < 0) return "";
        start += $"<tr id=\"machine-{machine}\">".Length;
        return page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static IEnumerable<string> ContainersOf(string stack) =>
        Tool.Run("docker", "ps", "-q", "--filter", $"label=resilience.stack={stack}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One value of an instant query, through the hub's HTTP API (the page's base URL names the hub).</summary>
    private static async Task<string> QueryScalarAsync(HttpClient http, string pageUrl, string query)
    {
        var hub = new Uri(pageUrl).GetLeftPart(UriPartial.Authority);
        var body = JsonNode.Parse(await http.GetStringAsync($"{hub}/api/v1/query?query={Uri.EscapeDataString(query)}"))!;
        return (string)body["data"]!["result"]![0]!["value"]![1]!;
    }
}
