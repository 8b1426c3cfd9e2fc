import Foundation

/// A stored lead: one real person in one workspace.
public struct Lead: Sendable, Equatable, Identifiable {
    public var id: LeadID
    public var workspaceID: WorkspaceID
    public var companyID: CompanyID?
    public var fields: LeadFields
    public var status: LeadStatus
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: LeadID, workspaceID: WorkspaceID, companyID: CompanyID? = nil, fields: LeadFields, status: LeadStatus,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.companyID = companyID
        self.fields = fields
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A stored company, shared by the leads who work there.
public struct Company: Sendable, Equatable, Identifiable {
    public var id: CompanyID
    public var workspaceID: WorkspaceID
    public var fields: CompanyFields
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: CompanyID, workspaceID: WorkspaceID, fields: CompanyFields, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.workspaceID = workspaceID
        self.fields = fields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
