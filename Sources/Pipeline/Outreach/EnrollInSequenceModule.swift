import Automation
import Foundation
import LeadgenCore
import Storage

/// `leadgen:EnrollInSequence`: `{sequence_id, lead_id}` → `{enrolled, reason, enrollment_id, lead_id,
/// sequence_id}`. The lead is enrolled under the sequence's rules, once however often the scenario runs; a
/// lead left out is not an error (its `reason` says why: no_email, suppressed, already_enrolled…), so a
/// filter can route on it.
struct EnrollInSequenceModule: NativeModule {
    let sequences: SequenceStore
    let leads: LeadStore
    let service: EnrollmentService

    func run(_ input: ModuleInput) async throws -> [JSON] {
        let workspace = try LeadgenModules.workspace(input)
        let sequenceID = IMLValues.text(input.mapper["sequence_id"] ?? .null)
        let leadID = IMLValues.text(input.mapper["lead_id"] ?? .null)
        guard let sequence = try await sequences.get(sequenceID, in: workspace) else {
            throw ModuleError("DataError", "sequence_id: no sequence '\(sequenceID)' in this workspace")
        }
        guard let lead = try await leads.get(LeadID(rawValue: leadID), in: workspace) else {
            throw ModuleError("DataError", "lead_id: no lead '\(leadID)' in this workspace")
        }
        let outcome: EnrollmentService.Outcome
        do { outcome = try await service.enroll([lead], in: sequence) } catch {
            throw ModuleError("InvalidConfigurationError", "\(error)")
        }
        var output: [String: JSON] = [
            "enrolled": .bool(!outcome.enrolled.isEmpty), "lead_id": .string(leadID),
            "sequence_id": .string(sequenceID),
        ]
        if let enrollment = outcome.enrolled.first { output["enrollment_id"] = .string(enrollment.id) }
        if let skipped = outcome.skipped.first { output["reason"] = .string(skipped.reason) }
        return [.object(output)]
    }
}
