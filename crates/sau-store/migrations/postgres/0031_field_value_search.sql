-- Searches by a field's value (the OTRS API's dynamic-field filters) find
-- the tickets holding it without reading every value.
CREATE INDEX ticket_field_values_key_value ON ticket_field_values (field_key, value);
