#!/usr/bin/env python3
"""Writes the malformed-input corpus. Each file's expected message is in
io/tests/corpus.rs. xlsx cases are written by `cargo test -p clientele-io
--test corpus -- --ignored write_xlsx_fixtures`."""
import os
here = os.path.dirname(os.path.abspath(__file__))
def w(name, data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(os.path.join(here, name), 'wb') as f:
        f.write(data)

M = '会员卡号,姓名,手机\n'
P = '会员卡号,小票号,消费日期,消费金额\n'
R = '退货单号,小票号,退货日期,退货金额\n'
O = '会员卡号,积分,期初日期\n'
# Encodings and binaries
w('empty.csv', b'')
w('whitespace_only.csv', b'\n  \r\n\t\n')
w('binary_png.csv', b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01')
w('zip_renamed.csv', b'PK\x03\x04\x14\x00\x00\x00\x08\x00' + bytes(range(256)))
w('legacy_xls.csv', b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\x00' * 64)
w('nul_bytes.csv', '姓名,手机\n王芳'.encode() + b'\x00' + b',13800138000\n')
w('utf16_without_bom.csv', 'name,mobile\nLi,13800138000\n'.encode('utf-16-le'))
w('neither_utf8_nor_gbk.csv', b'name,mobile\n\xff\xfe\xfd\xff,1\n')
w('gbk_truncated_character.csv', '姓名,手机\n王芳,13800138000\n'.encode('gbk') + b'\x81')
w('gbk_read_as_utf8.csv', '姓名,手机\n王芳,13800138000\n'.encode('gbk'))
# Structure
w('unterminated_quote.csv', M + 'C100,"王五,13700137000\nC101,李四,13600136000\n')
w('unterminated_quote_last_row.csv', M + 'C100,王五,"13700137000\n')
w('duplicate_headers.csv', '姓名,手机,姓名\n王五,13700137000,王五\n')
w('duplicate_headers_case.csv', 'Name,Mobile,NAME\nWang,13700137000,Wang\n')
w('blank_header_row.csv', ',,\n王五,13700137000,\n')
w('header_only.csv', M)
w('no_header_row.csv', '王五,13700137000\n李四,13600136000\n')
w('unknown_headers.csv', 'foo,bar\n1,2\n')
w('ragged_row.csv', M + 'C100,王五,13700137000,extra,more\n')
w('ragged_row_tabs.tsv', '会员卡号\t姓名\t手机\nC100\t王五\t13700137000\tx\n')
# Member values
w('invalid_mobile.csv', M + 'C100,王五,12345\n')
w('missing_name.csv', M + 'C100,,13700137000\n')
w('missing_card_and_mobile.csv', M + ',王五,\n')
w('bad_email.csv', '会员卡号,姓名,邮箱\nC100,王五,not-an-email\n')
w('bad_gender.csv', '会员卡号,姓名,性别\nC100,王五,unknown?\n')
w('impossible_birthday.csv', '会员卡号,姓名,生日\nC100,王五,1990-02-30\n')
w('unreadable_birthday.csv', '会员卡号,姓名,生日\nC100,王五,someday\n')
w('ambiguous_joined_date.csv', '会员卡号,姓名,入会日期\nC100,王五,05/03/2024\n')
w('bad_consent.csv', '会员卡号,姓名,短信同意\nC100,王五,maybe\n')
w('duplicate_card_in_file.csv', M + 'C001,王芳,13800138000\nC001,王芳,13800138000\n')
w('duplicate_mobile_in_file.csv', '姓名,手机\n王芳,13800138000\n王芳,138 0013 8000\n')
w('mobile_of_another_member.csv', M + 'C100,王五,13800138000\n')
w('very_long_name.csv', M + 'C100,' + 'x' * 5000 + ',13700137000\n')
w('very_long_notes.csv', '会员卡号,姓名,备注\nC100,王五,' + '长' * 3000 + '\n')
w('very_long_card.csv', M + 'C' + '9' * 300 + ',王五,13700137000\n')
w('html_script_in_name.csv', M + 'C100,<script>alert(1)</script><b>王五</b>,13700137000\n')
w('formula_in_name.csv', M + 'C100,"=HYPERLINK(""http://x"",""点我"")",13700137000\n')
w('zero_joined_year.csv', '会员卡号,姓名,入会日期\nC100,王五,0000-01-01\n')
# Purchases
w('receipt_unknown_member.csv', P + 'C999,R900,2024-03-05,100\n')
w('receipt_unknown_mobile.csv', '手机,小票号,消费日期,消费金额\n13111111111,R900,2024-03-05,100\n')
w('negative_amount.csv', P + 'C001,R900,2024-03-05,-100\n')
w('negative_amount_parentheses.csv', P + 'C001,R900,2024-03-05,(100.00)\n')
w('non_numeric_amount.csv', P + 'C001,R900,2024-03-05,abc\n')
w('formula_amount.csv', P + 'C001,R900,2024-03-05,=SUM(A1:A3)\n')
w('amount_too_many_decimals.csv', P + 'C001,R900,2024-03-05,1.2345\n')
w('amount_too_large.csv', P + 'C001,R900,2024-03-05,99999999999999999999\n')
w('amount_missing.csv', P + 'C001,R900,2024-03-05,\n')
w('amount_two_decimal_commas.csv', '会员卡号;小票号;消费日期;消费金额\nC001;R900;2024-03-05;12,5,0\n')
w('impossible_date.csv', P + 'C001,R900,2024-13-45,100\n')
w('february_30.csv', P + 'C001,R900,2024-02-30,100\n')
w('unreadable_date.csv', P + 'C001,R900,next tuesday,100\n')
w('ambiguous_date.csv', P + 'C001,R900,05/03/2024,100\n')
w('date_missing.csv', P + 'C001,R900,,100\n')
w('bad_time.csv', P + 'C001,R900,2024-03-05 25:61,100\n')
w('receipt_of_another_member.csv', P + 'C002,R001,2024-03-01,500\n')
w('receipt_already_imported.csv', P + 'C001,R001,2024-03-01,500\n')
w('bad_quantity.csv', '会员卡号,小票号,消费日期,消费金额,数量\nC001,R900,2024-03-05,100,many\n')
# Returns
w('return_unknown_receipt.csv', R + 'T1,R999,2024-03-05,100\n')
w('return_exceeds_purchase.csv', R + 'T1,R001,2024-03-05,600\n')
w('return_before_purchase.csv', R + 'T1,R001,2024-02-01,100\n')
w('return_missing_receipt.csv', R + 'T1,,2024-03-05,100\n')
# Opening balances
w('opening_bad_points.csv', O + 'C001,lots,2024-01-01\n')
w('opening_unknown_member.csv', O + 'C999,100,2024-01-01\n')
w('opening_fractional_points.csv', O + 'C001,10.5,2024-01-01\n')
w('opening_unknown_tier.csv', '会员卡号,积分,期初日期,会员等级\n' + 'C001,100,2024-01-01,黄金会员\n')
