import App
import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/team`: the workspace's users and their roles. Everyone reads it; only an owner adds users, changes
/// roles and removes users, and the workspace always keeps one owner. A user's new role holds from their
/// next request (sessions read it every time); a removed user's sessions end.
struct TeamPages {
    let templates: Templates
    let accounts: AccountService

    func register(on group: RouterGroup<DashboardContext>) {
        group.get("team", use: show)
        group.post("team/users", use: add)
        group.post("team/users/:id/role", use: setRole)
        group.post("team/users/:id/remove", use: remove)
    }

    struct Member {
        var id, email, name, role: String
        var isYou: Bool
        var roles: [RoleOption]
    }

    struct RoleOption {
        var value: String
        var selected: Bool
    }

    struct Page {
        var nav: Navigation
        var csrfToken: String
        var error: String?
        var isOwner: Bool
        var members: [Member]
        var roles: [RoleOption]
    }

    @Sendable func show(_ request: Request, context: DashboardContext) async throws -> Response {
        try await page(context, error: nil)
    }

    private func page(_ context: DashboardContext, error: String?) async throws -> Response {
        let user = context.session.user
        let members = try await accounts.team(of: user.workspaceID).map { member in
            Member(
                id: member.id, email: member.email.value, name: member.name ?? "", role: member.role.rawValue,
                isYou: member.id == user.id, roles: Self.options(selected: member.role))
        }
        return try templates.page(
            "team",
            Page(
                nav: Navigation(context, active: .team), csrfToken: context.session.csrfToken, error: error,
                isOwner: user.role == .owner, members: members, roles: Self.options(selected: .member)),
            status: error == nil ? .ok : .badRequest)
    }

    @Sendable func add(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await ownersForm(request, context)
        guard let role = form["role"].flatMap(Role.init(rawValue:)) else {
            return try await page(context, error: "Role: choose viewer, member, admin or owner")
        }
        do {
            _ = try await accounts.addUser(
                email: form["email"] ?? "", password: form["password"] ?? "",
                name: form["name"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }, role: role,
                to: context.session.user.workspaceID)
        } catch let problem as AccountService.Problem {
            return try await page(context, error: problem.description)
        }
        return Redirect.to("/team")
    }

    @Sendable func setRole(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await ownersForm(request, context)
        guard let role = form["role"].flatMap(Role.init(rawValue:)) else {
            return try await page(context, error: "Role: choose viewer, member, admin or owner")
        }
        return try await change(context) {
            _ = try await accounts.setRole(of: $0, to: role, in: context.session.user.workspaceID)
        }
    }

    @Sendable func remove(_ request: Request, context: DashboardContext) async throws -> Response {
        _ = try await ownersForm(request, context)
        return try await change(context) {
            _ = try await accounts.removeUser($0, from: context.session.user.workspaceID)
        }
    }

    private func change(_ context: DashboardContext, _ body: (String) async throws -> Void) async throws -> Response {
        let id = try context.parameters.require("id")
        do {
            try await body(id)
        } catch let problem as AccountService.Problem {
            return try await page(context, error: problem.description)
        } catch StoreError.notFound {
            throw DashboardError.notFound
        }
        return Redirect.to("/team")
    }

    /// The posted form, when its CSRF token is right and the user is an owner.
    private func ownersForm(_ request: Request, _ context: DashboardContext) async throws -> [String: String] {
        let form = try await Forms.read(request)
        try CSRF.check(form["csrf_token"], expected: context.session.csrfToken)
        guard context.session.user.role == .owner else {
            throw HTTPError(
                .forbidden,
                message:
                    "Your role (\(context.session.user.role.rawValue)) lets you see the team; only owners manage it.")
        }
        return form
    }

    static func options(selected: Role) -> [RoleOption] {
        Role.allCases.map { RoleOption(value: $0.rawValue, selected: $0 == selected) }
    }
}
