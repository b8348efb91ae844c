"""Indonesian dates as offices write them (dd/mm/yyyy) in tables."""

DATE_FORMAT = "j N Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j N Y, H.i"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
# <input type="date"> sends and expects ISO dates; typed dates in the office order also parse
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
