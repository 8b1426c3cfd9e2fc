import Foundation

/// One HubSpot object type's records and property definitions, as the fake keeps them.
struct HubSpotObjects {
    struct Record {
        var id: String
        var properties: [String: String]
        var createdAt: Date
        var updatedAt: Date
    }

    struct Property {
        var name: String
        var label: String
        var type: String
        var fieldType: String
        var groupName: String
        var hasUniqueValue: Bool
    }

    /// The object type id HubSpot uses in messages ("0-1" contacts, "0-2" companies).
    let typeID: String
    var records: [String: Record] = [:]
    var properties: [String: Property]
    /// Values of unique properties, to records: email for contacts, and custom unique properties.
    var uniqueIndex: [String: [String: String]] = [:]

    init(typeID: String, defaultProperties: [String], unique: [String]) {
        self.typeID = typeID
        var properties: [String: Property] = [:]
        for name in defaultProperties {
            properties[name] = Property(
                name: name, label: name, type: "string", fieldType: "text", groupName: "default",
                hasUniqueValue: unique.contains(name))
        }
        self.properties = properties
    }

    func isUnique(_ property: String) -> Bool { properties[property]?.hasUniqueValue == true }

    func find(_ property: String, _ value: String) -> Record? {
        if property == "hs_object_id" { return records[value] }
        let key = property == "email" ? value.lowercased() : value
        return uniqueIndex[property]?[key].flatMap { records[$0] }
    }

    /// Property names that do not exist on this object type.
    func unknownProperties(_ values: [String: String]) -> [String] {
        values.keys.filter { properties[$0] == nil }.sorted()
    }

    mutating func store(_ record: Record) {
        if let old = records[record.id] {
            for (name, value) in old.properties where isUnique(name) {
                uniqueIndex[name]?[name == "email" ? value.lowercased() : value] = nil
            }
        }
        records[record.id] = record
        for (name, value) in record.properties where isUnique(name) {
            uniqueIndex[name, default: [:]][name == "email" ? value.lowercased() : value] = record.id
        }
    }

    /// The unique property whose value already belongs to another record, if any.
    func conflict(_ values: [String: String], excluding id: String?) -> Record? {
        for (name, value) in values where isUnique(name) {
            if let existing = find(name, value), existing.id != id { return existing }
        }
        return nil
    }
}
