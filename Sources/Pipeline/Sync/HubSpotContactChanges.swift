import LeadgenCore
import Storage

/// Applies HubSpot's property changes of synced contacts to their leads, each event once (by its portal and
/// event id). A contact is found by its portal and its id, never by the id alone: the sync records which
/// portal each workspace reaches, and several workspaces may sync to one portal. The property is read back
/// through the workspace's field mapping and written through the fields' one normalizer; a value that
/// cannot be the field's (a country HubSpot knows and Leadgen does not) leaves the lead as it was.
public struct HubSpotContactChanges: Sendable {
    let webhooks: WebhookStore
    let syncStore: SyncStore
    let leads: LeadStore
    let registry: ProviderRegistry

    public init(webhooks: WebhookStore, syncStore: SyncStore, leads: LeadStore, registry: ProviderRegistry) {
        self.webhooks = webhooks
        self.syncStore = syncStore
        self.leads = leads
        self.registry = registry
    }

    /// The lead fields a change in HubSpot may write: what a person edits by hand. Identities (e-mails,
    /// LinkedIn, phones, Apollo ids) stay with the sources that found them.
    public static let writableFields: [LeadField] = [.firstName, .lastName, .title, .city, .state, .country, .owner]

    /// One `contact.propertyChange` (or the new platform's `object.propertyChange` on a contact).
    public struct Change: Sendable {
        public var eventID: Int64
        public var portal: String
        public var contact: String
        public var property: String
        public var value: String?

        public init(eventID: Int64, portal: String, contact: String, property: String, value: String?) {
            self.eventID = eventID
            self.portal = portal
            self.contact = contact
            self.property = property
            self.value = value
        }
    }

    /// Applies each change not applied before; returns how many changed at least one lead.
    public func apply(_ changes: [Change]) async throws -> Int {
        var applied = 0
        for change in changes {
            let key = "\(change.portal):\(change.eventID)"
            guard try await !webhooks.hasDelivery(provider: "hubspot", key: key) else { continue }
            if try await apply(change) { applied += 1 }
            _ = try await webhooks.recordDelivery(provider: "hubspot", key: key)
        }
        return applied
    }

    private func apply(_ change: Change) async throws -> Bool {
        var applied = false
        for (workspace, localID) in try await syncStore.localIDs(
            provider: "hubspot", account: change.portal, objectType: "lead", remoteID: change.contact)
        where try await apply(change, to: LeadID(rawValue: localID), in: workspace) {
            applied = true
        }
        return applied
    }

    private func apply(_ change: Change, to lead: LeadID, in workspace: WorkspaceID) async throws -> Bool {
        let mapping = try HubSpotFieldMapping.parse(
            try await registry.connectionSettings("hubspot", for: workspace)["field_mapping"])
        guard let name = mapping.contact.first(where: { $0.value == change.property })?.key else { return false }
        if name.hasPrefix("custom:") {
            let custom = String(name.dropFirst("custom:".count))
            return try await leads.update(lead, in: workspace, actor: "hubspot") {
                $0.fields.setCustomField(custom, change.value)
            } != nil
        }
        guard let field = LeadField(rawValue: name), Self.writableFields.contains(field) else { return false }
        return try await leads.update(lead, in: workspace, actor: "hubspot") {
            try? field.set(change.value, in: &$0.fields)
        } != nil
    }
}
