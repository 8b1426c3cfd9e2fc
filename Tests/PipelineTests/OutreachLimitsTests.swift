import App
import Foundation
import LeadgenCore
import Logging
import Outreach
import Pipeline
import Storage
import Synchronization
import TestSupport
import Testing

/// The dispatcher's sending limits, with a transport that records what it is handed: per-sender hourly and
/// daily limits over rolling windows, a backlog that drains at the limits' pace, recipient-domain pacing,
/// rotation across senders, and a vendor that answers without saying whether it sent.
@Suite struct OutreachLimitsTests {
    /// Records every message and answers as told.
    final class RecordingTransport: MessageTransport {
        let sent = Mutex<[(recipient: String, sender: String, at: Date)]>([])
        let answer: @Sendable (OutreachMessage) -> SendOutcome
        let clock: ManualClock

        init(
            clock: ManualClock,
            answer: @escaping @Sendable (OutreachMessage) -> SendOutcome = { .sent(providerMessageID: "id-" + $0.id) }
        ) {
            self.clock = clock
            self.answer = answer
        }

        func send(_ message: OutreachMessage, composed: ComposedMessage, sender: OutreachSender, recipientName: String?)
            async -> SendOutcome
        {
            sent.withLock { $0.append((message.recipient, sender.address, clock.now)) }
            return answer(message)
        }

        let webhooks = Mutex<[(url: URL, payload: Data)]>([])

        func callWebhook(_ url: URL, payload: Data) async -> SendOutcome {
            webhooks.withLock { $0.append((url, payload)) }
            return .sent(providerMessageID: "HTTP 200")
        }

        var count: Int { sent.withLock { $0.count } }
    }

    static let sequence = #"""
        {"name": "Limits", "window": {"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "24:00"},
         "steps": [{"id": "intro", "type": "email", "subject": "Hello {{first_name}}", "body": "Hi {{first_name}}"}]}
        """#

    struct Setup {
        let app: AppRoot
        let transport: RecordingTransport
        let clock: ManualClock
        let workspace: WorkspaceID

        var dispatcher: OutreachDispatcher { app.outreach }
    }

    static func setUp(
        _ database: LeadgenDatabase, leads: Int, definition: String = sequence,
        domains: (Int) -> String = { "company\($0).example" },
        senders: [OutreachSender], domainInterval: TimeInterval = 0,
        answer: (@Sendable (OutreachMessage) -> SendOutcome)? = nil
    ) async throws -> Setup {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let transport = answer.map { RecordingTransport(clock: clock, answer: $0) } ?? RecordingTransport(clock: clock)
        let app = AppRoot.testing(database, time: clock.source, messageTransport: transport) {
            $0.outreach.domainInterval = domainInterval
            $0.publicURL = URL(string: "https://leadgen.example")
            $0.masterKey = "limits-test-key"
        }
        let stores = app.stores
        let workspace = try await stores.workspaces.findOrCreate(slug: "default").id
        let items = (0..<leads).map { n in
            var fields = LeadFields()
            fields.firstName = "P\(n)"
            fields.email = try! EmailAddress(parsing: "p\(n)@\(domains(n))")
            fields.timeZone = "UTC"
            return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "api"))
        }
        let ids = try await stores.ingestor.ingest(items, into: workspace).map(\.leadID)
        for sender in senders {
            _ = try await stores.senders.save(sender, in: workspace)
        }
        let stored = try await stores.sequences.create(name: "Limits", definition: definition, in: workspace)
        _ = try await EnrollmentService(enrollments: stores.enrollments, suppressions: stores.suppressions).enroll(
            try await stores.leads.get(ids, in: workspace), in: stored)
        return Setup(app: app, transport: transport, clock: clock, workspace: workspace)
    }

    static func sender(_ address: String, hourly: Int? = nil, daily: Int? = nil, interval: Int = 0) -> OutreachSender {
        OutreachSender(
            channel: .email, provider: "sendgrid", address: address, name: "Rep", physicalAddress: "1 Main St",
            dailyLimit: daily, hourlyLimit: hourly, minIntervalSeconds: interval)
    }

    @Test(arguments: TestDatabases.kinds)
    func aBacklogDrainsWithinTheHourlyAndDailyLimits(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let s = try await Self.setUp(
                database, leads: 30, senders: [Self.sender("rep@sales.example", hourly: 4, daily: 10)])
            try await s.dispatcher.run()
            #expect(s.transport.count == 4, "no burst: the hourly limit")
            s.clock.advance(by: 1800)
            try await s.dispatcher.run()
            #expect(s.transport.count == 4, "the hour is not over")
            for _ in 0..<24 {
                s.clock.advance(by: 1800)
                try await s.dispatcher.run()
            }
            // 13 hours later: the daily limit (10 in any 24 hours) holds, hour after hour at most 4.
            #expect(s.transport.count == 10)
            let times = s.transport.sent.withLock { $0.map(\.at) }
            for time in times {
                #expect(times.filter { $0 >= time && $0 < time.addingTimeInterval(3600) }.count <= 4)
            }
            s.clock.advance(by: 12 * 3600)
            try await s.dispatcher.run()
            #expect(s.transport.count == 14, "a new day's first hour")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func sendersTakeTurnsAndKeepTheirIntervals(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let s = try await Self.setUp(
                database, leads: 6,
                senders: [Self.sender("a@sales.example", interval: 60), Self.sender("b@sales.example", interval: 60)])
            try await s.dispatcher.run()
            #expect(Set(s.transport.sent.withLock { $0.map(\.sender) }) == ["a@sales.example", "b@sales.example"])
            #expect(s.transport.count == 2, "one each, then each waits its interval")
            s.clock.advance(by: 61)
            try await s.dispatcher.run()
            #expect(s.transport.count == 4)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func messagesToOneDomainArePaced(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let s = try await Self.setUp(
                database, leads: 6, domains: { $0 < 3 ? "big.example" : "other\($0).example" },
                senders: [Self.sender("rep@sales.example")], domainInterval: 30)
            try await s.dispatcher.run()
            let first = s.transport.sent.withLock { $0.map(\.recipient) }
            #expect(first.filter { $0.hasSuffix("@big.example") }.count == 1, "one to the shared domain")
            #expect(first.count == 4)
            s.clock.advance(by: 31)
            try await s.dispatcher.run()
            #expect(s.transport.count == 5)
            s.clock.advance(by: 31)
            try await s.dispatcher.run()
            #expect(s.transport.count == 6)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func anAnswerThatDoesNotSayIsUnknownAndNeverSentAgain(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let s = try await Self.setUp(
                database, leads: 3, senders: [Self.sender("rep@sales.example")],
                answer: {
                    $0.recipient.hasPrefix("p1@")
                        ? .unknown("SendGrid did not answer in time") : .sent(providerMessageID: "x")
                })
            try await s.dispatcher.run()
            s.clock.advance(by: 3600)
            try await s.dispatcher.run()
            #expect(s.transport.count == 3, "the unknown one was not sent again")
            let unknown = try await s.app.stores.messages.list(
                sequence: try #require(try await s.app.stores.sequences.list(in: s.workspace).first).id,
                status: .unknown, in: s.workspace)
            #expect(unknown.map(\.recipient) == ["p1@company1.example"])
            #expect(unknown.first?.error == "SendGrid did not answer in time")
            let metrics = s.dispatcher.metrics
            #expect(metrics.count(channel: "email", provider: "sendgrid", outcome: .sent) == 2)
            #expect(metrics.count(channel: "email", provider: "sendgrid", outcome: .unknown) == 1)
            #expect(
                metrics.prometheusText().contains(
                    #"leadgen_messages_total{channel="email",provider="sendgrid",outcome="unknown"} 1"#))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aTaskWaitsForAPersonAndAWebhookStepIsCalledOnce(_ kind: SQLDialectKind) async throws {
        let definition = #"""
            {"name": "Task", "window": {"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "24:00"},
             "steps": [{"id": "call", "type": "task", "title": "Call {{first_name}}"},
                       {"id": "crm", "type": "webhook", "url": "https://hooks.example/lead"},
                       {"id": "intro", "type": "email", "subject": "Hello", "body": "Hi {{first_name}}"}]}
            """#
        try await TestDatabases.withFresh(kind) { database, _ in
            let s = try await Self.setUp(
                database, leads: 1, definition: definition, senders: [Self.sender("rep@sales.example")])
            try await s.dispatcher.run()
            let enrollments = s.app.stores.enrollments
            let sequence = try #require(try await s.app.stores.sequences.list(in: s.workspace).first)
            var enrollment = try #require(try await enrollments.list(sequence: sequence.id, in: s.workspace).first)
            #expect(enrollment.status == .paused && enrollment.statusReason == "task: Call P0")
            #expect(s.transport.count == 0 && s.transport.webhooks.withLock { $0.isEmpty })

            // The person did the call: resuming goes on past the task.
            #expect(try await enrollments.resume(enrollment.id, at: enrollment.stepIndex + 1, in: s.workspace))
            try await s.dispatcher.run()
            try await s.dispatcher.run()
            let calls = s.transport.webhooks.withLock { $0 }
            #expect(calls.map(\.url.absoluteString) == ["https://hooks.example/lead"], "called once")
            let payload = try JSONSerialization.jsonObject(with: try #require(calls.first).payload) as? [String: Any]
            #expect((payload?["lead"] as? [String: Any])?["email"] as? String == "p0@company0.example")
            #expect(s.transport.count == 1, "then the e-mail")
            enrollment = try #require(try await enrollments.get(enrollment.id, in: s.workspace))
            #expect(enrollment.status == .finished)
        }
    }
}
