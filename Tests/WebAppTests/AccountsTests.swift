import Foundation
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
}
