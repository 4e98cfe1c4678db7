-- Every detail line of the sale_line legacy layouts, classified, placed on a business day and
-- store and valued: the legacy side of the migration reconciliation (macro legacy_sale_lines).
-- Rendered by `retail-mds dbt-sources` from the config's layouts; do not edit.
{{ legacy_sale_lines([{'name': 'pos_fr_sale_line', 'routed': ['fee_line', 'manual_adjustment', 'test_line']}]) }}
