extension LeadField {
    /// Sets the field from text, normalized; nil or blank text clears it. A list field takes its items
    /// separated by commas. Throws, and leaves the field as it was, when the text cannot be its value;
    /// `full_name` is split into the first and last names.
    public func set(_ text: String?, in f: inout LeadFields, defaultCountry: String? = nil) throws(InvalidFieldValue) {
        guard let text = text?.trimmingWhitespace(), !text.isEmpty else {
            clear(in: &f)
            return
        }
        try assign(text, in: &f, defaultCountry: defaultCountry)
    }

    /// `set` for text known to be trimmed and not empty, as an import row's values are.
    func assign(_ text: String, in f: inout LeadFields, defaultCountry: String?) throws(InvalidFieldValue) {
        if isList {
            try set(items: text.split(separator: ",").map(String.init), in: &f, defaultCountry: defaultCountry)
            return
        }
        switch self {
        case .firstName: f.firstName = PersonName.normalize(text)
        case .lastName: f.lastName = PersonName.normalize(text)
        case .fullName: (f.firstName, f.lastName) = PersonName.split(fullName: text)
        case .title: f.title = FieldNormalizer.text(text)
        case .seniority: f.seniority = try FieldNormalizer.required(text, "seniority") { Seniority(apolloValue: $0) }
        case .email: f.email = try FieldNormalizer.email(text)
        case .emailStatus: f.emailStatus = try FieldNormalizer.required(text, "email status") { EmailStatus(text: $0) }
        case .linkedinURL: f.linkedinURL = try FieldNormalizer.linkedin(text, .profile)
        case .city: f.city = FieldNormalizer.text(text)
        case .state: f.state = FieldNormalizer.text(text)
        case .country: f.country = try FieldNormalizer.required(text, "country") { Country($0) }
        case .timeZone: f.timeZone = try FieldNormalizer.required(text, "time zone", FieldNormalizer.timeZone)
        case .owner: f.owner = FieldNormalizer.text(text)
        case .apolloPersonID: f.apolloPersonID = FieldNormalizer.identifier(text)
        case .apolloContactID: f.apolloContactID = FieldNormalizer.identifier(text)
        case .departments, .otherEmails, .phones, .tags: break
        }
    }

    /// Sets a list field from its items, each normalized; blank and repeated items are dropped. Phones are
    /// read in the lead's country, else `defaultCountry`. Throws for the first item that cannot be a value,
    /// with its index, and leaves the field as it was.
    public func set(items: [String], in f: inout LeadFields, defaultCountry: String? = nil) throws(InvalidFieldValue) {
        func each<T>(_ parse: (String) throws(InvalidFieldValue) -> T?) throws(InvalidFieldValue) -> [T] {
            var values: [T] = []
            for (index, item) in items.enumerated() {
                let text = item.trimmingWhitespace()
                guard !text.isEmpty else { continue }
                do throws(InvalidFieldValue) {
                    if let value = try parse(text) { values.append(value) }
                } catch {
                    throw InvalidFieldValue(error.description, index: index)
                }
            }
            return values
        }
        switch self {
        case .departments: f.departments = FieldNormalizer.unique(try each(FieldNormalizer.text))
        case .tags: f.tags = FieldNormalizer.unique(try each(FieldNormalizer.text))
        case .otherEmails:
            var seen = Set<String>()
            f.otherEmails = try each(FieldNormalizer.email).filter { seen.insert($0.value).inserted }
        case .phones:
            let country = f.country?.code ?? defaultCountry
            var seen = Set<String>()
            f.phones = try each { (text) throws(InvalidFieldValue) in
                let number = try FieldNormalizer.phone(text, defaultCountry: country)
                return LeadPhone(kind: .other, e164: number.e164, raw: number.raw)
            }.filter { seen.insert($0.comparisonKey).inserted }
        default: throw InvalidFieldValue("expected one value, not a list")
        }
    }

    private func clear(in f: inout LeadFields) {
        switch self {
        case .firstName: f.firstName = nil
        case .lastName: f.lastName = nil
        case .fullName: (f.firstName, f.lastName) = (nil, nil)
        case .title: f.title = nil
        case .seniority: f.seniority = nil
        case .departments: f.departments = []
        case .email: f.email = nil
        case .emailStatus: f.emailStatus = nil
        case .otherEmails: f.otherEmails = []
        case .phones: f.phones = []
        case .linkedinURL: f.linkedinURL = nil
        case .city: f.city = nil
        case .state: f.state = nil
        case .country: f.country = nil
        case .timeZone: f.timeZone = nil
        case .owner: f.owner = nil
        case .tags: f.tags = []
        case .apolloPersonID: f.apolloPersonID = nil
        case .apolloContactID: f.apolloContactID = nil
        }
    }
}

extension LeadFields {
    /// Sets a custom field, its text folded like any free text; nil or blank text removes it.
    public mutating func setCustomField(_ name: String, _ text: String?) {
        customFields[name] = text.flatMap(FieldNormalizer.text)
    }
}
