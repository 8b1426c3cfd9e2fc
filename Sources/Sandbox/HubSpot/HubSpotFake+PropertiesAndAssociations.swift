import Foundation

/// The fake's property definitions and v4 associations (docs/reference/hubspot.md).
extension HubSpotFake {
    // MARK: Properties

    func listProperties(_ type: String) -> SandboxResponse {
        guard let path = objects(type) else { return .json(404, error("OBJECT_NOT_FOUND", "Resource not found")) }
        return withStore { store in
            .json(
                200,
                [
                    "results": store[keyPath: path].properties.values.sorted { $0.name < $1.name }.map {
                        [
                            "name": $0.name, "label": $0.label, "type": $0.type, "fieldType": $0.fieldType,
                            "groupName": $0.groupName, "hasUniqueValue": $0.hasUniqueValue,
                        ] as [String: Any]
                    }
                ])
        }
    }

    func createProperty(_ type: String, _ body: Any?) -> SandboxResponse {
        guard let path = objects(type) else { return .json(404, error("OBJECT_NOT_FOUND", "Resource not found")) }
        guard let input = body as? [String: Any], let name = input["name"] as? String,
            let label = input["label"] as? String, let kind = input["type"] as? String,
            let fieldType = input["fieldType"] as? String, let group = input["groupName"] as? String
        else {
            return .json(
                400,
                error("VALIDATION_ERROR", "Invalid input JSON: name, label, type, fieldType and groupName are required")
            )
        }
        return withStore { store in
            guard store[keyPath: path].properties[name] == nil else {
                return .json(409, error("OBJECT_ALREADY_EXISTS", "Property named '\(name)' already exists."))
            }
            let property = HubSpotObjects.Property(
                name: name, label: label, type: kind, fieldType: fieldType, groupName: group,
                hasUniqueValue: input["hasUniqueValue"] as? Bool ?? false)
            store[keyPath: path].properties[name] = property
            return .json(
                201,
                [
                    "name": name, "label": label, "type": kind, "fieldType": fieldType, "groupName": group,
                    "hasUniqueValue": property.hasUniqueValue,
                ])
        }
    }

    // MARK: Associations

    func associateDefault(_ contact: String, _ company: String) -> SandboxResponse {
        guard contacts.records[contact] != nil, companies.records[company] != nil else {
            return .json(404, error("OBJECT_NOT_FOUND", "One or more objects were not found"))
        }
        associations[contact, default: [:]][company, default: []].insert(279)
        return .json(
            200,
            [
                "status": "COMPLETE",
                "results": [
                    [
                        "from": ["id": contact], "to": ["id": company],
                        "associationSpec": ["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279],
                    ]
                ],
                "startedAt": iso(now()), "completedAt": iso(now()),
            ])
    }

    func associateBatch(_ body: Any?) -> SandboxResponse {
        guard let inputs = (body as? [String: Any])?["inputs"] as? [[String: Any]] else {
            return .json(400, error("VALIDATION_ERROR", "Invalid input JSON: inputs is required"))
        }
        guard inputs.count <= 100 else {
            return .json(400, error("VALIDATION_ERROR", "Batch input limit exceeded"))
        }
        var results: [[String: Any]] = []
        var errors: [[String: Any]] = []
        for input in inputs {
            guard let from = (input["from"] as? [String: Any])?["id"] as? String,
                let to = (input["to"] as? [String: Any])?["id"] as? String,
                let types = input["types"] as? [[String: Any]], !types.isEmpty
            else {
                return .json(400, error("VALIDATION_ERROR", "Invalid input JSON: from, to and types are required"))
            }
            guard contacts.records[from] != nil, companies.records[to] != nil else {
                errors.append([
                    "status": "error", "category": "VALIDATION_ERROR",
                    "message": "Could not find objects to associate: \(from) -> \(to)", "context": ["ids": [from]],
                    "errors": [Any](), "links": [String: Any](),
                ])
                continue
            }
            let typeIDs = types.compactMap { $0["associationTypeId"] as? Int }
            for typeID in typeIDs { associations[from, default: [:]][to, default: []].insert(typeID) }
            results.append([
                "fromObjectTypeId": "0-1", "fromObjectId": Int(from) ?? 0, "toObjectTypeId": "0-2",
                "toObjectId": Int(to) ?? 0, "labels": [String](),
            ])
        }
        var answer: [String: Any] = [
            "status": "COMPLETE", "results": results, "startedAt": iso(now()), "completedAt": iso(now()),
        ]
        if !errors.isEmpty {
            answer["errors"] = errors
            answer["numErrors"] = errors.count
            return .json(207, answer)
        }
        return .json(201, answer)
    }
}
