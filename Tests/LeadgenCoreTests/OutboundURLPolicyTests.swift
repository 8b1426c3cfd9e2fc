import Foundation
import LeadgenCore
import Testing

/// The outbound URL policy: every spelling of a private or loopback address is refused with the rule it
/// breaks, whether written in the URL or answered by DNS; public addresses and the operator's exceptions pass.
@Suite struct OutboundURLPolicyTests {
    /// A resolver with a fixed table, so DNS answers are part of the test.
    static let table: [String: [String]] = [
        "api.example.com": ["93.184.216.34"],
        "rebind.example": ["127.0.0.1"],
        "metadata.example": ["169.254.169.254"],
        "mixed.example": ["93.184.216.34", "10.0.0.7"],
        "v6-local.example": ["fd12:3456::1"],
        "internal.example": ["10.20.30.40"],
    ]

    static func policy(ranges: [String] = [], hosts: Set<String> = []) -> OutboundURLPolicy {
        OutboundURLPolicy(allowedRanges: ranges.compactMap { IPRange($0) }, allowedHosts: hosts) { host in
            guard let answers = table[host] else { throw URLError(.cannotFindHost) }
            return answers.compactMap { IPAddress($0) }
        }
    }

    func refusal(_ url: String, _ policy: OutboundURLPolicy = policy()) async -> OutboundRefusal? {
        guard let parsed = URL(string: url) else { return OutboundRefusal(url: url, rule: "not a URL") }
        do {
            try await policy.check(parsed)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("http://127.0.0.1/", "loopback (127.0.0.0/8)"),
        ("http://127.0.0.1:6379/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://017700000001/", "loopback"),
        ("http://localhost/", "localhost"),
        ("http://LOCALHOST./admin", "localhost"),
        ("http://api.localhost/", "localhost"),
        ("http://[::1]/", "loopback (::1)"),
        ("http://[::ffff:127.0.0.1]/", "inside the IPv6 address"),
        ("http://[::ffff:a9fe:a9fe]/", "link-local"),
        ("http://[::127.0.0.1]/", "IPv4-compatible"),
        ("http://169.254.169.254/latest/meta-data/", "link-local (169.254.0.0/16"),
        ("http://10.1.2.3/", "RFC 1918, 10.0.0.0/8"),
        ("http://172.16.0.1/", "RFC 1918, 172.16.0.0/12"),
        ("http://192.168.1.1/", "RFC 1918, 192.168.0.0/16"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://[fd00::1]/", "unique local"),
        ("http://[fe80::1]/", "link-local (fe80::/10)"),
        ("http://rebind.example/", "rebind.example resolves to 127.0.0.1"),
        ("http://metadata.example/", "169.254.169.254"),
        ("http://mixed.example/", "10.0.0.7"),
        ("http://v6-local.example/", "unique local"),
        ("http://nowhere.example/", "does not resolve"),
        ("ftp://api.example.com/", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://api.example.com/", "only http and https"),
    ])
    func privateAndLoopbackTargetsAreRefusedByName(_ url: String, _ rule: String) async throws {
        let refused = try #require(await refusal(url), "\(url) must be refused")
        #expect(refused.rule.contains(rule), "\(refused.rule)")
        #expect(refused.description.contains("LEADGEN_OUTBOUND_ALLOW"))
    }

    @Test(arguments: ["https://api.example.com/v1/people", "http://8.8.8.8/", "https://[2606:4700::1111]/"])
    func publicTargetsPass(_ url: String) async {
        #expect(await refusal(url) == nil)
    }

    @Test func theOperatorsExceptionsOpenWhatTheyName() async {
        let open = Self.policy(ranges: ["10.0.0.0/8"], hosts: ["internal.example", "127.0.0.1:9090"])
        #expect(await refusal("http://10.1.2.3/", open) == nil)
        #expect(await refusal("http://internal.example/", open) == nil)
        #expect(await refusal("http://127.0.0.1:9090/sandbox", open) == nil)
        #expect(await refusal("http://127.0.0.1:9091/", open) != nil, "another port of the host is not opened")
        #expect(await refusal("http://192.168.1.1/", open) != nil)
    }

    @Test func theAllowListIsReadWithItsMistakesNamed() {
        let read = OutboundURLPolicy.exceptions("10.0.0.0/8, fd00::/8 internal.example:8443")
        #expect(read.problem == nil)
        #expect(read.ranges.map(\.description) == ["10.0.0.0/8", "fd00::/8"])
        #expect(read.hosts == ["internal.example:8443"])
        #expect(OutboundURLPolicy.exceptions("10.0.0.0/33").problem != nil)
        #expect(OutboundURLPolicy.exceptions("http://x/").problem != nil)
    }

    @Test func refusalsNeverShowCredentialsOrQueries() async throws {
        let refused = try #require(await refusal("http://user:secret@127.0.0.1/hook?token=abc"))
        #expect(!refused.description.contains("secret"))
        #expect(!refused.description.contains("abc"))
    }

    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"), ("192.168.1", "192.168.0.1"), ("10.1", "10.0.0.1"),
    ])
    func ipv4HostsAreReadAsBrowsersReadThem(_ host: String, _ address: String) {
        #expect(IPv4Host.parse(host)?.description == address)
    }

    @Test(arguments: ["example.com", "1.2.3.4.5", "256.1.1.1", "4294967296", "1..1", "", "+1", "-1", "08.1.1.1"])
    func namesAndOverflowsAreNotIPv4(_ host: String) {
        #expect(IPv4Host.parse(host) == nil, "\(host)")
    }
}
