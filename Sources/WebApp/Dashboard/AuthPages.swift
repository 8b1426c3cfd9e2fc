import App
import Foundation
import HTTPTypes
import Hummingbird
import LeadgenCore
import Logging
import Storage

/// First-run setup, log in and log out.
struct AuthPages {
    let templates: Templates
    let accounts: AccountService
    let users: UserStore
    let sessions: SessionStore
    /// Slows password guessing per account and per client address.
    let throttle: LoginThrottleStore

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { _, context -> Response in
            Redirect.to(context.session == nil ? "/login" : "/leads")
        }
        router.get("setup", use: setupForm)
        router.post("setup", use: setup)
        router.get("login", use: loginForm)
        router.post("login", use: login)
        router.post("logout", use: logout)
    }

    struct FormPage {
        var csrfToken: String
        var email = ""
        var name = ""
        var error: String?
    }

    @Sendable func setupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await users.count() == 0 else { return Redirect.to("/login") }
        return try form("setup", request: request, page: { FormPage(csrfToken: $0) })
    }

    @Sendable func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Forms.read(request)
        try CSRF.check(fields["csrf_token"], expected: request.cookies[CSRF.cookieName]?.value)
        // Only the very first account can be created here; later ones are added by an owner.
        guard try await users.count() == 0 else { return Redirect.to("/login") }
        let email = fields["email"] ?? ""
        let name = fields["name"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            // The count above spares the bcrypt work; the one in the store's transaction decides.
            guard
                let user = try await accounts.createFirstOwner(
                    email: email, password: fields["password"] ?? "", name: name)
            else { return Redirect.to("/login") }
            return try await startSession(for: user, request: request)
        } catch let problem as AccountService.Problem {
            return try templates.page(
                "setup",
                FormPage(
                    csrfToken: fields["csrf_token"] ?? "", email: email, name: name ?? "", error: problem.description),
                status: .unprocessableContent)
        }
    }

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.session != nil { return Redirect.to("/leads") }
        if try await users.count() == 0 { return Redirect.to("/setup") }
        return try form("login", request: request, page: { FormPage(csrfToken: $0) })
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Forms.read(request)
        try CSRF.check(fields["csrf_token"], expected: request.cookies[CSRF.cookieName]?.value)
        let email = fields["email"] ?? ""
        let keys = Self.throttleKeys(email: email, address: context.clientAddress)
        if let wait = try await throttle.waiting(keys) {
            let seconds = Int(wait.rounded(.up))
            var page = try templates.page(
                "login",
                FormPage(
                    csrfToken: fields["csrf_token"] ?? "", email: email,
                    error: "Too many wrong passwords: try again in \(seconds) second\(seconds == 1 ? "" : "s")."),
                status: .tooManyRequests)
            page.headers[.retryAfter] = String(seconds)
            return page
        }
        guard let user = try await accounts.authenticate(email: email, password: fields["password"] ?? "") else {
            try await throttle.recordFailure(keys)
            context.logger.notice(
                "failed login", metadata: ["email_domain": "\(email.split(separator: "@").last ?? "")"])
            return try templates.page(
                "login",
                FormPage(
                    csrfToken: fields["csrf_token"] ?? "", email: email, error: "The e-mail or password is wrong."),
                status: .unauthorized)
        }
        try await throttle.reset(keys)
        return try await startSession(for: user, request: request)
    }

    /// What wrong passwords count against: the account (as typed, normalized when it is an address) and the
    /// client's address.
    static func throttleKeys(email: String, address: String?) -> [String] {
        let account = (try? EmailAddress(parsing: email).value) ?? email.lowercased()
        return ["account:" + String(account.prefix(320))] + (address.map { ["address:" + $0] } ?? [])
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Forms.read(request)
        if let session = context.session, let token = request.cookies[SessionMiddleware.cookieName]?.value {
            try CSRF.check(fields["csrf_token"], expected: session.csrfToken)
            try await sessions.delete(token: token)
        }
        var response = Redirect.to("/login")
        response.setCookie(SessionMiddleware.cookie(token: "", maxAge: 0, request: request))
        return response
    }

    private func startSession(for user: User, request: Request) async throws -> Response {
        let token = try await sessions.create(for: user)
        var response = Redirect.to("/leads")
        response.setCookie(SessionMiddleware.cookie(token: token, maxAge: Int(sessions.lifetime), request: request))
        return response
    }

    /// A pre-session form with its CSRF cookie.
    private func form(_ name: String, request: Request, page: (String) -> FormPage) throws -> Response {
        let (token, isNew) = CSRF.preSessionToken(request)
        var response = try templates.page(name, page(token))
        if isNew {
            response.setCookie(
                Cookie(
                    name: CSRF.cookieName, value: token, path: "/", secure: SessionMiddleware.isHTTPS(request),
                    httpOnly: true, sameSite: .strict))
        }
        return response
    }
}
