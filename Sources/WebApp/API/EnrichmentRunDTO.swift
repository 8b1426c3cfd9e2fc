import Foundation
import LeadgenCore
import Storage

/// An enrichment run as the API shows it: the run's figures, its selection without the phone webhook's
/// capability URL (a reader could post fake numbers with it), and, when it asked for mobile numbers, how
/// many Apollo will still send, skipped, delivered or delivered without a number.
struct EnrichmentRunDTO: Encodable {
    struct Selection: Encodable {
        var status: LeadStatus?
        var tag: String?
        var limit: Int?
        var leadIds: [String]?
        var includeEnriched: Bool
        var revealPhones: Bool
    }

    struct Phones: Encodable {
        var pending, skipped, delivered, none: Int
    }

    var id: String
    var workspaceId: String
    var status: EnrichmentRun.Status
    var selection: Selection
    var providers: [String]
    var budget: Double?
    var spent, reserved: Double
    var leadsSelected, leadsEnriched, leadsNotFound, leadsFromCache, leadsOverBudget, leadsInterrupted: Int
    var leadsFailed, batchesTotal, batchesDone: Int
    var phones: Phones?
    var error: String?
    var createdAt: Date
    var finishedAt: Date?

    init(_ run: EnrichmentRun, phones counts: [PhoneReveal.Status: Int]?) {
        id = run.id
        workspaceId = run.workspaceID
        status = run.status
        selection = Selection(
            status: run.selection.status, tag: run.selection.tag, limit: run.selection.limit,
            leadIds: run.selection.leadIDs, includeEnriched: run.selection.includeEnriched,
            revealPhones: run.selection.phoneWebhookURL != nil)
        providers = run.providers
        budget = run.budget
        spent = run.spent
        reserved = run.reserved
        leadsSelected = run.leadsSelected
        leadsEnriched = run.leadsEnriched
        leadsNotFound = run.leadsNotFound
        leadsFromCache = run.leadsFromCache
        leadsOverBudget = run.leadsOverBudget
        leadsInterrupted = run.leadsInterrupted
        leadsFailed = run.leadsFailed
        batchesTotal = run.batchesTotal
        batchesDone = run.batchesDone
        phones = counts.map {
            Phones(
                pending: $0[.pending, default: 0], skipped: $0[.skipped, default: 0],
                delivered: $0[.delivered, default: 0], none: $0[.none, default: 0])
        }
        error = run.error
        createdAt = run.createdAt
        finishedAt = run.finishedAt
    }
}
