import LeadgenCore
import Providers
import Storage

/// Apollo's later delivery of revealed phone numbers (docs/reference/apollo.md §3c), applied to the leads it
/// names: only people who are leads already (a delivery never creates anyone), normalized as any Apollo
/// answer is, once per delivery. Each person's requested phone is then settled: delivered, or none when the
/// delivery brought no number for them.
public struct ApolloPhoneDelivery: Sendable {
    let webhooks: WebhookStore
    let leads: LeadStore
    let ingestor: LeadIngestor
    let phoneReveals: PhoneRevealStore

    public init(webhooks: WebhookStore, leads: LeadStore, ingestor: LeadIngestor, phoneReveals: PhoneRevealStore) {
        self.webhooks = webhooks
        self.leads = leads
        self.ingestor = ingestor
        self.phoneReveals = phoneReveals
    }

    /// One person of a delivery: Apollo's id and the numbers found.
    public struct Person: Sendable {
        public var id: String
        public var phoneNumbers: [ApolloPhoneNumber]

        public init(id: String, phoneNumbers: [ApolloPhoneNumber]) {
            self.id = id
            self.phoneNumbers = phoneNumbers
        }
    }

    public struct Receipt: Encodable, Sendable, Equatable {
        public var received: Int
        public var applied: Int
        public var duplicate: Bool
    }

    /// Applies a delivery identified by `key` (a digest of the URL's token and the body), unless a delivery
    /// with that key was applied before.
    public func apply(_ people: [Person], key: String, in workspace: WorkspaceID) async throws -> Receipt {
        if try await webhooks.hasDelivery(provider: "apollo", key: key) {
            return Receipt(received: people.count, applied: 0, duplicate: true)
        }
        let known = try await leads.knownIdentities(
            people.map { MatchKey(kind: .apolloPerson, value: $0.id) }, in: workspace)
        var items: [IngestItem] = []
        var delivered: [String] = []
        var without: [String] = []
        for person in people where known.contains(MatchKey(kind: .apolloPerson, value: person.id)) {
            var values: [LeadColumn: String] = [.apolloPersonID: person.id]
            values.addPhones(person.phoneNumbers)
            guard values.count > 1, let input = try? LeadInput.normalizing(values) else {
                without.append(person.id)
                continue
            }
            delivered.append(person.id)
            items.append(
                IngestItem(
                    input: input, source: LeadSourceRef(kind: "apollo", reference: "phone-webhook", locator: person.id))
            )
        }
        // Applied first, then recorded: a crash in between replays an idempotent merge, never loses the phones.
        _ = try await ingestor.ingest(items, into: workspace, actor: "apollo")
        try await phoneReveals.settle(delivered: delivered, without: without, workspace: workspace)
        _ = try await webhooks.recordDelivery(provider: "apollo", key: key)
        return Receipt(received: people.count, applied: items.count, duplicate: false)
    }
}
