import Automation
import Foundation
import LeadgenCore
import Storage

/// Runs a scenario from a request to its webhook URL (`/hooks/{token}`), as Make does. The request becomes the
/// trigger bundle of a run written to the database before anything else (so none is dropped). A scenario
/// with a `gateway:WebhookRespond` module answers with what that module set, within `responseTimeout`; when
/// this process runs jobs and the scenario is not sequential, the request runs it itself, so an instant
/// scenario answers without waiting for a worker (should the process die, the written run is taken over).
/// Other scenarios are only queued. A confidential scenario's response is not kept once answered.
public struct ScenarioHookRunner: Sendable {
    let scenarios: ScenarioService
    let responseTimeout: Duration
    let runsInline: Bool

    public init(scenarios: ScenarioService, responseTimeout: Duration, runsInline: Bool) {
        self.scenarios = scenarios
        self.responseTimeout = responseTimeout
        self.runsInline = runsInline
    }

    /// The scenario a hook token names, if any.
    public func scenario(forToken token: String) async throws -> StoredScenario? {
        try await scenarios.store.byHookToken(token)
    }

    /// Runs or queues `scenario` with the request's bundle. Returns the WebhookRespond module's answer, or nil
    /// when the scenario has none or did not finish in time (the request is then only accepted).
    public func run(_ scenario: StoredScenario, bundle: JSON) async throws -> WebhookResponse? {
        let blueprint = try? scenarios.blueprints.blueprint(of: scenario)
        let responds = blueprint?.allModules.contains { $0.module == "gateway:WebhookRespond" } ?? false
        guard responds else {
            _ = try await scenarios.start(scenario, trigger: "webhook", bundles: [bundle])
            return nil
        }
        let finished: StoredScenarioRun?
        if runsInline, blueprint?.settings.sequential != true {
            finished = try await scenarios.runInline(scenario, trigger: "webhook", bundles: [bundle])
        } else {
            let run = try await scenarios.start(scenario, trigger: "webhook", bundles: [bundle])
            finished = try await scenarios.waitForRun(run.id, timeout: responseTimeout)
        }
        guard let finished, finished.isFinished, let text = finished.response,
            let response = try? JSONDecoder().decode(WebhookResponse.self, from: Data(text.utf8))
        else { return nil }
        if blueprint?.settings.confidential == true { try await scenarios.store.clearResponse(finished.id) }
        return response
    }
}
