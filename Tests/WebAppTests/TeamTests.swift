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

/// The team page: owners add people, change roles and remove them; nobody else can; the workspace keeps an
/// owner; a change holds from the next request.
@Suite struct TeamTests {
    struct Person {
        let user: User
        let cookie: String
    }

    func person(_ api: APITestHarness, _ email: String, _ role: Role, workspace: WorkspaceID? = nil) async throws
        -> Person
    {
        let users = api.root.stores.users
        let user = try #require(
            try await users.create(
                workspace: workspace ?? api.workspace, email: try EmailAddress(parsing: email), name: nil,
                passwordHash: "x", otherwise: role, onlyIfFirst: false))
        let token = try await api.root.stores.sessions.create(for: user)
        return Person(user: user, cookie: "leadgen_session=\(token)")
    }

    func csrf(_ api: APITestHarness, _ person: Person) async throws -> String {
        let page = try await get(api, "/team", person)
        let html = String(buffer: page.body)
        let marker = #"name="csrf_token" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    func get(_ api: APITestHarness, _ uri: String, _ person: Person) async throws -> TestResponse {
        try await api.client.execute(uri: uri, method: .get, headers: [.cookie: person.cookie])
    }

    func post(_ api: APITestHarness, _ uri: String, _ fields: [String: String], as person: Person) async throws
        -> TestResponse
    {
        var fields = fields
        fields["csrf_token"] = try await csrf(api, person)
        let body = fields.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await api.client.execute(
            uri: uri, method: .post,
            headers: [.cookie: person.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    @Test(arguments: TestDatabases.kinds)
    func ownersManageTheTeamAndTheWorkspaceKeepsAnOwner(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let owner = try await person(api, "owner@acme.example", .member)
            #expect(owner.user.role == .owner, "the install's first user")
            let viewer = try await person(api, "viewer@acme.example", .viewer)
            let member = try await person(api, "member@acme.example", .member)
            let stranger = try await person(
                api, "owner@other.example", .admin,
                workspace: try await api.root.stores.workspaces.findOrCreate(slug: "other").id)
            let store = api.root.stores.users

            // Everyone reads the team; only an owner sees the forms; other workspaces' people are not listed.
            let seen = String(buffer: try await get(api, "/team", viewer).body)
            #expect(seen.contains("member@acme.example") && seen.contains("owner@acme.example"))
            #expect(!seen.contains("owner@other.example"))
            #expect(!seen.contains("/remove"))
            #expect(
                String(buffer: try await get(api, "/team", owner).body).contains("/team/users/\(viewer.user.id)/remove")
            )

            // Nobody but an owner changes it.
            let byMember = try await post(
                api, "/team/users/\(viewer.user.id)/role", ["role": "admin"], as: member)
            #expect(byMember.status == .forbidden)
            #expect(try await store.find(id: viewer.user.id)?.role == .viewer)

            // An owner promotes the viewer, and it holds at the viewer's next request.
            // A dashboard change refused for the role says so (other refusals, such as a missing form token, do not).
            let refusedForRole: @Sendable () async throws -> Bool = {
                let response = try await api.client.execute(
                    uri: "/imports", method: .post, headers: [.cookie: viewer.cookie, .contentType: "text/csv"],
                    body: ByteBuffer(string: "email\na@b.co\n"))
                return response.status == .forbidden && String(buffer: response.body).contains("Your role (viewer)")
            }
            #expect(try await refusedForRole())
            let promoted = try await post(api, "/team/users/\(viewer.user.id)/role", ["role": "member"], as: owner)
            #expect(promoted.status == .seeOther)
            #expect(try await store.find(id: viewer.user.id)?.role == .member)
            #expect(try await !refusedForRole(), "the new role holds at the next request")

            // The only owner cannot step down or leave; after making another owner, they can.
            let alone = try await post(api, "/team/users/\(owner.user.id)/role", ["role": "admin"], as: owner)
            #expect(alone.status == .badRequest)
            #expect(String(buffer: alone.body).contains("only owner"))
            #expect(try await post(api, "/team/users/\(owner.user.id)/remove", [:], as: owner).status == .badRequest)
            _ = try await post(api, "/team/users/\(member.user.id)/role", ["role": "owner"], as: owner)
            let stepDown = try await post(api, "/team/users/\(owner.user.id)/role", ["role": "admin"], as: owner)
            #expect(stepDown.status == .seeOther)
            #expect(try await store.list(in: api.workspace).filter { $0.role == .owner }.map(\.id) == [member.user.id])

            // The new owner adds someone, refuses nonsense, removes someone (their session ends), and cannot
            // reach into another workspace.
            let newOwner = Person(user: try #require(try await store.find(id: member.user.id)), cookie: member.cookie)
            let added = try await post(
                api, "/team/users", ["email": "new@acme.example", "password": "long enough password", "role": "admin"],
                as: newOwner)
            #expect(added.status == .seeOther)
            #expect(try await store.find(email: try EmailAddress(parsing: "new@acme.example"))?.role == .admin)
            let short = try await post(
                api, "/team/users", ["email": "x@acme.example", "password": "short", "role": "admin"], as: newOwner)
            #expect(short.status == .badRequest)
            let badRole = try await post(
                api, "/team/users", ["email": "y@acme.example", "password": "long enough password", "role": "god"],
                as: newOwner)
            #expect(badRole.status == .badRequest)
            #expect(try await post(api, "/team/users/\(viewer.user.id)/remove", [:], as: newOwner).status == .seeOther)
            #expect(try await get(api, "/leads", viewer).status == .seeOther, "the removed user's session ended")
            let across = try await post(api, "/team/users/\(stranger.user.id)/remove", [:], as: newOwner)
            #expect(across.status == .notFound)
            #expect(try await store.find(id: stranger.user.id) != nil)
        }
    }
}
