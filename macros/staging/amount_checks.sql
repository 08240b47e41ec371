{#- Row checks of number columns, as the dicts row_check_columns reads: `label` is the raw
    column's name, `value` the typed column and `text` its cleaned text. Nothing is coerced
    silently: a value that is a number but does not fit the stored type is out_of_range, not
    "not a number", and digits beyond the stored scale are rejected, not rounded. -#}

{#- A money column (decimal(18, 2)), in order:
      invalid_number    the text is not a number;
      out_of_range      a number whose absolute value is 10^13 or more: below it, a conversion
                        at any real exchange rate and the sums of a KPI period stay inside
                        decimal(18, 2) (an overflow stopped the build);
      excess_precision  more than 2 decimal places (the stored scale);
      negative_amount   below zero. -#}
{% macro amount_checks(label, value, text) -%}
    {{ return(number_checks(label, value, text, 'decimal(38, 18)', '10000000000000', 2) + [
        {'when': value ~ ' < 0', 'code': 'negative_amount', 'text': label ~ ' is negative'},
    ]) }}
{%- endmacro %}

{#- A whole-number column (integer): invalid_number when the text is not a whole number (a
    fraction such as 1.5 included: never rounded), out_of_range when it is one too large for an
    integer (2^31 or more). -#}
{% macro integer_checks(label, value, text) -%}
    {{ return([
        {'when': text ~ ' is not null and not ' ~ matches_pattern(text, integer_shape()),
         'code': 'invalid_number', 'text': label ~ ' is not a whole number'},
        {'when': text ~ ' is not null and ' ~ matches_pattern(text, integer_shape()) ~ ' and ' ~ value ~ ' is null',
         'code': 'out_of_range', 'text': label ~ ' is too large for a whole number (2,147,483,647 at most)'},
    ]) }}
{%- endmacro %}

{#- The common part: invalid_number, out_of_range (the number does not fit: `value` is NULL, or
    its absolute value reaches `max_abs`, a SQL number or none) and excess_precision (more than
    `scale` decimal places; `exact_type` is a wide decimal the text is compared in). -#}
{% macro number_checks(label, value, text, exact_type, max_abs, scale) -%}
    {%- set too_large = value ~ ' is null' ~ (' or abs(' ~ value ~ ') >= ' ~ max_abs if max_abs else '') -%}
    {{ return([
        {'when': text ~ ' is not null and not ' ~ matches_pattern(text, number_shape()),
         'code': 'invalid_number', 'text': label ~ ' is not a number'},
        {'when': text ~ ' is not null and ' ~ matches_pattern(text, number_shape()) ~ ' and (' ~ too_large ~ ')',
         'code': 'out_of_range', 'text': label ~ ' is too large for the warehouse'
            ~ (' (' ~ max_abs ~ ' or more in absolute value)' if max_abs else '')},
        {'when': value ~ ' <> ' ~ try_cast(text, exact_type),
         'code': 'excess_precision', 'text': label ~ ' has more than ' ~ scale ~ ' decimal places; the warehouse stores ' ~ scale ~ ' and does not round'},
    ]) }}
{%- endmacro %}
