"""Number formats for Chinese pages: Django's own leave the integer part ungrouped (groups of four,
no separator); statistics tables group by three with a comma, as GB/T 15835-2011 (出版物上数字用法)
§5.1.4.2 allows (千分撇). Dates and times stay Django's (this module only adds the separators)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
