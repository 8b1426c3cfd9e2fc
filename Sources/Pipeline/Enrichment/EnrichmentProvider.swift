import Foundation
import LeadgenCore
import Storage

/// A source of person data that a waterfall asks in turn. Apollo is the first; others (a verifier, a
/// second data vendor) fit the same shape.
public protocol EnrichmentProvider: Sendable {
    /// The name in the ledger, the cache and the leads' provenance ("apollo").
    var name: String { get }
    /// Most people per call.
    var batchSize: Int { get }
    /// The most credits one person can cost, reserved from the budget before a call.
    var maxCreditsPerPerson: Double { get }
    /// What the provider would look the lead up by; equal keys get equal answers. Nil when the lead carries
    /// nothing the provider can use.
    func lookupKey(for lead: Lead, company: Company?) -> String?
    /// Asks about up to `batchSize` leads at once.
    func enrich(_ subjects: [EnrichmentSubject]) async throws(EnrichmentCallError) -> EnrichmentAnswers
    /// The lead record in a stored answer; nil when the provider found no one.
    func leadInput(fromAnswer answer: String) throws -> LeadInput?
}

/// One lead to ask about.
public struct EnrichmentSubject: Sendable {
    public var lead: Lead
    public var company: Company?
    public var key: String

    public init(lead: Lead, company: Company?, key: String) {
        self.lead = lead
        self.company = company
        self.key = key
    }
}

/// A provider's answers, one per subject in order (JSON text; "null" for no match), and what it charged.
public struct EnrichmentAnswers: Sendable {
    public var answers: [String]
    public var credits: Double
    /// Mobile numbers the provider will deliver later (or said it will not), per person found.
    public var phoneRequests: [PhoneRevealStore.Request]

    public init(answers: [String], credits: Double, phoneRequests: [PhoneRevealStore.Request] = []) {
        self.answers = answers
        self.credits = credits
        self.phoneRequests = phoneRequests
    }
}

/// Why a provider call gave no answers.
public enum EnrichmentCallError: Error, Sendable, CustomStringConvertible {
    /// The provider did not act on the call (429, 5xx, unreachable): ask again after `retryAfter` seconds.
    case transient(String, retryAfter: TimeInterval)
    /// No answer came, and the provider may have acted and charged (a timeout).
    case outcomeUnknown(String)
    /// The call was refused; `fatal` when no call of the run can succeed (a bad key, a missing scope).
    case rejected(String, fatal: Bool)

    public var description: String {
        switch self {
        case .transient(let message, _), .outcomeUnknown(let message): message
        case .rejected(let message, _): message
        }
    }
}
