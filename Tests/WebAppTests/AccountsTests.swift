import App
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
            let root = AppRoot.testing(database)
            let accounts = root.accounts
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
            #expect(try await root.stores.users.count() == 1)

            let second = try await accounts.createUser(
                email: "member@acme.example", password: "correct horse battery", name: nil, workspaceSlug: "default")
            #expect(second.role == .member, "only the first user is an owner")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func twentyWrongPasswordsMakeTheNextWaitAndARightOneStillWorksAfter(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let clock = ManualClock()
            let root = AppRoot.testing(database, time: clock.source)
            _ = try await root.accounts.createUser(
                email: "ada@acme.example", password: "the right password", name: nil, workspaceSlug: "default")
            let app = Application(
                router: try await buildRouter(root, web: WebSettings(maxBodySize: 1 << 16)),
                logger: TestDatabases.logger)
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

    @Test(arguments: TestDatabases.kinds)
    func apiKeysDoWhatTheirRoleAllows(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            func key(_ role: Role) async throws -> String {
                try await api.root.stores.apiKeys.create(workspace: api.workspace, name: role.rawValue, role: role)
                    .secret
            }
            func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String?, key: String) async throws
                -> HTTPResponse.Status
            {
                var headers: HTTPFields = [.authorization: "Bearer \(key)"]
                if body != nil { headers[.contentType] = "application/json" }
                return try await api.client.execute(
                    uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
                ).status
            }
            let (viewer, member, admin) = (try await key(.viewer), try await key(.member), try await key(.admin))
            let lead = #"{"email": "ada@acme.example"}"#
            #expect(try await call(.get, "/api/v1/leads", nil, key: viewer) == .ok)
            #expect(try await call(.post, "/api/v1/leads", lead, key: viewer) == .forbidden)
            #expect(try await call(.post, "/api/v1/leads", lead, key: member) == .created)
            let id = try #require(
                try APITestHarness.object(try await api.request(.get, "/api/v1/leads"))["data"]
                    .flatMap { ($0 as? [[String: Any]])?.first?["id"] as? String })
            #expect(try await call(.delete, "/api/v1/leads/\(id)", nil, key: member) == .forbidden)
            #expect(
                try await call(
                    .put, "/api/v1/connections/slack", #"{"webhook_url": "https://hooks.slack.com/x"}"#, key: member)
                    == .forbidden)
            #expect(try await call(.delete, "/api/v1/leads/\(id)", nil, key: admin) == .noContent)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func expiredAndRevokedKeysStopWorkingAndUseIsNoted(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let clock = ManualClock()
            let root = AppRoot.testing(database, time: clock.source)
            let keys = root.stores.apiKeys
            let workspace = try await root.stores.workspaces.findOrCreate(slug: "acme").id
            let expiring = try await keys.create(
                workspace: workspace, name: "ci", role: .member, expiresAt: clock.now.addingTimeInterval(3600))
            #expect(try await keys.authenticate(secret: expiring.secret)?.role == .member)
            #expect(try await keys.list(in: workspace).first?.lastUsedAt == clock.now)
            clock.advance(by: 3601)
            #expect(try await keys.authenticate(secret: expiring.secret) == nil, "expired")

            let revoked = try await keys.create(workspace: workspace, name: "old")
            #expect(try await keys.authenticate(secret: revoked.secret)?.role == .admin, "admin by default")
            #expect(try await keys.revoke(revoked.id))
            #expect(try await !keys.revoke(revoked.id), "once")
            #expect(try await keys.authenticate(secret: revoked.secret) == nil)
            let listed = try await keys.list(in: workspace)
            #expect(listed.map(\.name) == ["old", "ci"])
            #expect(listed.first?.revokedAt != nil)
            #expect(listed.allSatisfy { !$0.prefix.isEmpty && $0.prefix.count == 10 })
        }
    }

    @Test func aViewerReadsTheDashboardButChangesNothing() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let users = api.root.stores.users
            _ = try await users.create(
                workspace: api.workspace, email: try EmailAddress(parsing: "owner@acme.example"), name: nil,
                passwordHash: "x", otherwise: .viewer, onlyIfFirst: false)
            let viewer = try #require(
                try await users.create(
                    workspace: api.workspace, email: try EmailAddress(parsing: "viewer@acme.example"), name: nil,
                    passwordHash: "x", otherwise: .viewer, onlyIfFirst: false))
            #expect(viewer.role == .viewer)
            let token = try await api.root.stores.sessions.create(for: viewer)
            let cookie: HTTPFields = [.cookie: "leadgen_session=\(token)"]
            #expect(try await api.client.execute(uri: "/leads", method: .get, headers: cookie).status == .ok)
            let upload = try await api.client.execute(
                uri: "/imports", method: .post,
                headers: [.cookie: "leadgen_session=\(token)", .contentType: "text/csv"],
                body: ByteBuffer(string: "email\na@b.co\n"))
            #expect(upload.status == .forbidden)
            #expect(String(buffer: upload.body).contains("Your role (viewer)"), "refused for the role, not the form")
        }
    }
}
