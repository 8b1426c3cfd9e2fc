import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Accounts: first-run setup makes exactly one owner, however many requests race for it.
@Suite struct AccountsTests {
    @Test(arguments: TestDatabases.kinds)
    func concurrentSetupsMakeExactlyOneOwner(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let accounts = AccountService(
                users: UserStore(database: database, ids: .uuidV7, time: .system),
                workspaces: WorkspaceStore(database: database, ids: .uuidV7, time: .system))
            let created = try await withThrowingTaskGroup(of: User?.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await accounts.createFirstOwner(
                            email: "owner\(index)@acme.example", password: "correct horse battery", name: nil)
                    }
                }
                return try await group.reduce(into: [User]()) { if let user = $1 { $0.append(user) } }
            }
            #expect(created.count == 1, "one request was first")
            #expect(created.first?.role == .owner)
            #expect(try await UserStore(database: database, ids: .uuidV7, time: .system).count() == 1)

            let second = try await accounts.createUser(
                email: "member@acme.example", password: "correct horse battery", name: nil, workspaceSlug: "default")
            #expect(second.role == .member, "only the first user is an owner")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func twentyWrongPasswordsMakeTheNextWaitAndARightOneStillWorksAfter(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let clock = ManualClock()
            let services = AppServices(
                database: database, logger: TestDatabases.logger, maxBodySize: 1 << 16, ids: .uuidV7,
                time: clock.source, outbound: .testLoopback)
            _ = try await services.accounts.createUser(
                email: "ada@acme.example", password: "the right password", name: nil, workspaceSlug: "default")
            let app = Application(router: try await buildRouter(services))
            try await app.test(.router) { client in
                func login(_ password: String, as email: String = "ada@acme.example") async throws -> TestResponse {
                    try await client.execute(
                        uri: "/login", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "leadgen_csrf=t0k"],
                        body: ByteBuffer(string: "email=\(email)&password=\(password)&csrf_token=t0k"))
                }
                for _ in 1...LoginThrottleStore.freeFailures {
                    #expect(try await login("a-wrong-guess").status == .unauthorized)
                }
                let waiting = try await login("the right password")
                #expect(waiting.status == .tooManyRequests, "the 21st waits, whatever the password")
                #expect(waiting.headers[.retryAfter] == "1")
                #expect(try await login("the right password", as: "ADA@acme.example").status == .tooManyRequests)

                clock.advance(by: 2)
                let after = try await login("the right password")
                #expect(after.status == .seeOther, "a right password after the wait works")
                #expect(after.headers[.location] == "/leads")
                #expect(try await login("a-wrong-guess").status == .unauthorized, "the count starts again")
            }
        }
    }
}
