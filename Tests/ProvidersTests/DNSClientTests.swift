import LeadgenCore
import NIOCore
import Sandbox
import Testing

@testable import Providers

/// The DNS client against the sandbox's DNS server over real UDP and TCP on loopback.
@Suite struct DNSClientTests {
    /// A generous timeout: the tests run in parallel on busy machines; only the silent server's test waits
    /// for it to pass, and it asks for a short one.
    func withServer(timeout: TimeAmount = .seconds(10), _ body: (DNSClient) async throws -> Void) async throws {
        let server = try await DNSFake.start()
        let client = DNSClient(
            server: DNSServerAddress("127.0.0.1:\(server.port)"), timeout: timeout, nextID: { 0x1234 })
        do {
            try await body(client)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func mailExchangersAreAnsweredInOrder() async throws {
        try await withServer { client in
            let response = try await client.lookup("Deliverable.Example", .mx)
            #expect(response.code == .noError && !response.truncated && response.id == 0x1234)
            #expect(
                response.answers.map(\.record) == [
                    .mx(preference: 10, exchange: "mx1.deliverable.example"),
                    .mx(preference: 20, exchange: "mx2.deliverable.example"),
                ])
            #expect(response.answers.map(\.name) == ["deliverable.example", "deliverable.example"])
        }
    }

    @Test func nullMXNoRecordsAndNoDomainAreToldApart() async throws {
        try await withServer { client in
            let null = try await client.lookup("nullmx.example", .mx)
            #expect(null.answers.map(\.record) == [.mx(preference: 0, exchange: "")], "RFC 7505: the root")
            let implicit = try await client.lookup("implicit-mx.example", .mx)
            #expect(implicit.code == .noError && implicit.answers.isEmpty)
            let address = try await client.lookup("implicit-mx.example", .a)
            #expect(address.answers.map(\.record) == [.a([127, 0, 0, 1])])
            let v6 = try await client.lookup("implicit-mx.example", .aaaa)
            #expect(v6.answers.map(\.record) == [.aaaa([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])])
            let missing = try await client.lookup("nowhere.example", .mx)
            #expect(missing.code == .nameError && missing.answers.isEmpty)
        }
    }

    @Test func aTruncatedAnswerIsAskedAgainOverTCP() async throws {
        try await withServer { client in
            let response = try await client.lookup("big.example", .mx)
            #expect(!response.truncated)
            #expect(response.answers.count == 40)
            #expect(response.answers.last?.record == .mx(preference: 40, exchange: "mx40.big.example"))
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        try await withServer(timeout: .milliseconds(300)) { client in
            await #expect(throws: DNSClient.Failure.timedOut(server: client.server?.description ?? "")) {
                try await client.lookup("silent.example", .mx)
            }
        }
    }

    @Test func aNameThatIsNotOneIsRefusedBeforeAsking() async throws {
        try await withServer { client in
            await #expect(throws: DNSMessage.Problem.self) { try await client.lookup("bad name.example", .mx) }
            await #expect(throws: DNSMessage.Problem.self) {
                try await client.lookup(String(repeating: "a", count: 64) + ".example", .mx)
            }
        }
    }
}
