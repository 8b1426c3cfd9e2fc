import Automation
import Foundation
import HTTPTypes
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Pipeline
import Storage

/// `/hooks/{token}`: a scenario's webhook URL. The request is read into a trigger bundle and handed to
/// `ScenarioHookRunner`; the answer is the scenario's WebhookRespond output, or `Accepted`.
struct ScenarioHooksController {
    let hooks: ScenarioHookRunner
    /// Largest webhook body, in bytes (Make allows 5 MB; inferred from its documentation of payload limits).
    let maxBody: Int

    func register(on router: Router<AppRequestContext>) {
        router.post("hooks/:token", use: receive)
        router.get("hooks/:token", use: receive)
        router.put("hooks/:token", use: receive)
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let scenario = try await hooks.scenario(forToken: token) else { throw Problem.notFound("this webhook") }
        guard scenario.enabled else {
            throw Problem(status: .gone, title: "Gone", detail: "the scenario of this webhook is disabled")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch { throw Problem.tooLarge(limit: maxBody) }
        let bundle = try Self.bundle(request, Data(buffer: body))
        guard let response = try await hooks.run(scenario, bundle: bundle) else { return Self.accepted }
        return HookResponse.make(response)
    }

    static var accepted: Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/plain; charset=utf-8", .contentSecurityPolicy: HookResponse.contentSecurityPolicy,
            ],
            body: .init(byteBuffer: ByteBuffer(string: "Accepted")))
    }

    /// The request as a bundle: JSON or form fields, with the query string's parameters.
    static func bundle(_ request: Request, _ data: Data) throws -> JSON {
        var fields: [String: JSON] = [:]
        for (key, value) in request.uri.queryParameters { fields[String(key)] = .string(String(value)) }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if !data.isEmpty {
            if type.hasPrefix("application/x-www-form-urlencoded") {
                for (number, pair) in FormURLEncoded.parse(data).enumerated() {
                    guard !pair.name.isEmpty else {
                        throw Problem.badRequest("form field \(number + 1) has no name")
                    }
                    fields[pair.name] = .string(pair.value)
                }
            } else {
                let parsed: JSON
                do { parsed = try JSON.parse(data) } catch {
                    throw Problem.badRequest("the body is not JSON or form data")
                }
                switch parsed {
                case .object(let object): fields.merge(object) { $1 }
                default: fields["value"] = parsed
                }
            }
        }
        return .object(fields)
    }
}
