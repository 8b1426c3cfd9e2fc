import Automation
import Foundation
import HTTPTypes
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Pipeline
import Storage

/// `/hooks/{token}`: a scenario's webhook URL. The request becomes the trigger bundle of a run queued in the
/// database (so none is dropped); a scenario with a `gateway:WebhookRespond` answers with what that module
/// set, within 40 seconds, others answer `Accepted` at once.
struct ScenarioHooksController {
    let scenarios: ScenarioService
    /// Largest webhook body, in bytes (Make allows 5 MB; inferred from its documentation of payload limits).
    let maxBody: Int
    let responseTimeout: Duration
    /// Whether a request runs its scenario itself (when this process runs jobs): an instant scenario
    /// answers without waiting for a worker; the run is written first, so it is taken over should the
    /// process die.
    let runsInline: Bool

    func register(on router: Router<AppRequestContext>) {
        router.post("hooks/:token", use: receive)
        router.get("hooks/:token", use: receive)
        router.put("hooks/:token", use: receive)
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let scenario = try await scenarios.store.byHookToken(token) else {
            throw Problem.notFound("this webhook")
        }
        guard scenario.enabled else {
            throw Problem(status: .gone, title: "Gone", detail: "the scenario of this webhook is disabled")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch { throw Problem.tooLarge(limit: maxBody) }
        let bundle = try Self.bundle(request, Data(buffer: body))
        let blueprint = try? scenarios.blueprints.blueprint(of: scenario)
        let responds = blueprint?.allModules.contains { $0.module == "gateway:WebhookRespond" } ?? false
        let sequential = blueprint?.settings.sequential ?? false
        guard responds else {
            _ = try await scenarios.start(scenario, trigger: "webhook", bundles: [bundle])
            return Self.accepted
        }
        let finished: StoredScenarioRun?
        if runsInline, !sequential {
            finished = try await scenarios.runInline(scenario, trigger: "webhook", bundles: [bundle])
        } else {
            let run = try await scenarios.start(scenario, trigger: "webhook", bundles: [bundle])
            finished = try await scenarios.waitForRun(run.id, timeout: responseTimeout)
        }
        guard let finished, finished.isFinished, let text = finished.response,
            let response = try? JSONDecoder().decode(WebhookResponse.self, from: Data(text.utf8))
        else { return Self.accepted }
        if blueprint?.settings.confidential == true { try await scenarios.store.clearResponse(finished.id) }
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
