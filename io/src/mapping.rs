//! Which column holds which field. Headers are recognised in English and
//! Chinese and from the exports of common shop systems (Shopify and
//! Square customer CSVs, "Customer ID, Order ID, Order Date, Sales" order
//! lines). A [`Mapping`] is plain data: the UI shows and edits it, and
//! remembers it for files with the same headers.

use serde::{Deserialize, Serialize};

/// What an import brings in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Members,
    Purchases,
    Returns,
    OpeningBalances,
}

impl ImportKind {
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Members,
        ImportKind::Purchases,
        ImportKind::Returns,
        ImportKind::OpeningBalances,
    ];
}

/// A field an import can fill.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    CardNo,
    Name,
    FirstName,
    LastName,
    Mobile,
    Email,
    Gender,
    Birthday,
    Joined,
    Store,
    Staff,
    Address,
    Workplace,
    Job,
    Notes,
    Tags,
    ConsentSms,
    ConsentPhone,
    ConsentEmail,
    Receipt,
    Date,
    Amount,
    Sku,
    Category,
    Quantity,
    LineAmount,
    ReturnId,
    Points,
    Expires,
    Tier,
    /// The receipt a return line names (原单号), beside its own number.
    OriginalReceipt,
    /// Total spend (累计消费) in a POS member export: recognised so the
    /// preview can say it is not imported (spend comes from purchases).
    TotalSpend,
}

impl Field {
    pub const ALL: [Field; 32] = [
        Field::CardNo,
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Mobile,
        Field::Email,
        Field::Gender,
        Field::Birthday,
        Field::Joined,
        Field::Store,
        Field::Staff,
        Field::Address,
        Field::Workplace,
        Field::Job,
        Field::Notes,
        Field::Tags,
        Field::ConsentSms,
        Field::ConsentPhone,
        Field::ConsentEmail,
        Field::Receipt,
        Field::Date,
        Field::Amount,
        Field::Sku,
        Field::Category,
        Field::Quantity,
        Field::LineAmount,
        Field::ReturnId,
        Field::Points,
        Field::Expires,
        Field::Tier,
        Field::OriginalReceipt,
        Field::TotalSpend,
    ];

    /// The fields that make sense for a kind of import, for the mapping
    /// screen's choices.
    pub fn for_kind(kind: ImportKind) -> &'static [Field] {
        use Field::*;
        match kind {
            ImportKind::Members => &[
                CardNo,
                Name,
                FirstName,
                LastName,
                Mobile,
                Email,
                Gender,
                Birthday,
                Joined,
                Store,
                Staff,
                Address,
                Workplace,
                Job,
                Notes,
                Tags,
                ConsentSms,
                ConsentPhone,
                ConsentEmail,
                Points,
                Expires,
                Tier,
            ],
            ImportKind::Purchases => &[
                CardNo,
                Mobile,
                Receipt,
                Date,
                Amount,
                Store,
                Sku,
                Category,
                Quantity,
                LineAmount,
                OriginalReceipt,
                Name,
                FirstName,
                LastName,
                Email,
            ],
            ImportKind::Returns => &[ReturnId, Receipt, Date, Amount, Sku, Quantity],
            ImportKind::OpeningBalances => &[CardNo, Mobile, Points, Date, Expires, Tier],
        }
    }
}

/// Lower case without spaces, underscores, dashes, dots, colons or
/// brackets, so "Card No.", "card_no" and "卡号：" compare equal.
pub fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{FEFF}')
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '_' | '-' | '.' | ':' | '：' | '(' | ')' | '（' | '）' | '*' | '#' | '/'
                )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Known header names, already normalised. Order matters only within one
/// file: the first column claiming a field wins.
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::CardNo,
        &[
            "会员卡号",
            "卡号",
            "会员号",
            "会员编号",
            "会员id",
            "顾客编号",
            "客户编号",
            "客户id",
            "cardnumber",
            "cardno",
            "card",
            "membernumber",
            "memberno",
            "memberid",
            "customerid",
            "squarecustomerid",
            "customernumber",
        ],
    ),
    (
        Field::Name,
        &[
            "姓名",
            "会员姓名",
            "顾客姓名",
            "客户姓名",
            "名字",
            "name",
            "fullname",
            "customername",
            "membername",
            "会员名称",
            "会员名",
            "收货人姓名",
            "买家姓名",
            "billingname",
        ],
    ),
    (Field::FirstName, &["firstname", "givenname", "名"]),
    (
        Field::LastName,
        &["lastname", "surname", "familyname", "姓"],
    ),
    (
        Field::Mobile,
        &[
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "电话号码",
            "联系电话",
            "mobile",
            "mobilephone",
            "mobilenumber",
            "phone",
            "phonenumber",
            "cellphone",
            "tel",
            "会员手机号",
            "收货人手机号",
            "买家手机号",
            "billingphone",
        ],
    ),
    (
        Field::Email,
        &[
            "邮箱",
            "电子邮箱",
            "电子邮件",
            "email",
            "emailaddress",
            "e mail",
        ],
    ),
    (Field::Gender, &["性别", "gender", "sex"]),
    (
        Field::Birthday,
        &[
            "生日",
            "出生日期",
            "birthday",
            "birthdate",
            "dateofbirth",
            "dob",
        ],
    ),
    (
        Field::Joined,
        &[
            "入会日期",
            "开卡日期",
            "注册日期",
            "加入日期",
            "开卡时间",
            "注册时间",
            "成为会员时间",
            "成为客户时间",
            "joined",
            "joindate",
            "datejoined",
            "creationdate",
            "createdat",
            "membersince",
            "firstvisit",
        ],
    ),
    (
        Field::Store,
        &[
            "门店",
            "店铺",
            "所属门店",
            "网点",
            "store",
            "shop",
            "location",
            "branch",
        ],
    ),
    (
        Field::Staff,
        &[
            "导购",
            "专员",
            "负责人",
            "staff",
            "salesperson",
            "assignedstaff",
            "clerk",
        ],
    ),
    (
        Field::Address,
        &[
            "地址",
            "住址",
            "address",
            "streetaddress1",
            "defaultaddressaddress1",
            "address1",
        ],
    ),
    (
        Field::Workplace,
        &[
            "工作单位",
            "单位",
            "公司",
            "workplace",
            "company",
            "companyname",
            "defaultaddresscompany",
        ],
    ),
    (
        Field::Job,
        &["职业", "职务", "job", "jobtitle", "occupation"],
    ),
    (Field::Notes, &["备注", "notes", "note", "memo", "comments"]),
    (Field::Tags, &["标签", "tags", "groups"]),
    (
        Field::ConsentSms,
        &[
            "短信同意",
            "接受短信",
            "同意短信",
            "consentsms",
            "smsconsent",
            "acceptssmsmarketing",
            "smssubscriptionstatus",
        ],
    ),
    (
        Field::ConsentPhone,
        &[
            "电话同意",
            "接受电话",
            "同意电话",
            "consentphone",
            "phoneconsent",
        ],
    ),
    (
        Field::ConsentEmail,
        &[
            "邮件同意",
            "接受邮件",
            "同意邮件",
            "consentemail",
            "emailconsent",
            "acceptsemailmarketing",
            "emailsubscriptionstatus",
        ],
    ),
    (
        Field::Receipt,
        &[
            "单号",
            "小票号",
            "小票",
            "订单号",
            "订单编号",
            "销售单号",
            "单据号",
            "流水号",
            "receipt",
            "receiptno",
            "receiptnumber",
            "orderid",
            "ordernumber",
            "orderno",
            "transactionid",
            "invoice",
            "invoiceno",
        ],
    ),
    (
        Field::Date,
        &[
            "消费日期",
            "日期",
            "时间",
            "消费时间",
            "交易日期",
            "交易时间",
            "销售日期",
            "下单时间",
            "销售时间",
            "订单创建时间",
            "付款时间",
            "退货日期",
            "期初日期",
            "date",
            "orderdate",
            "purchasedate",
            "transactiondate",
            "datetime",
            "at",
            "returndate",
            "asof",
        ],
    ),
    (
        Field::Amount,
        &[
            "消费金额",
            "金额",
            "实收",
            "实收金额",
            "销售额",
            "订单金额",
            "实付金额",
            "订单实付金额",
            "退货金额",
            "退款金额",
            "amount",
            "sales",
            "total",
            "totalamount",
            "ordertotal",
            "netsales",
            "refund",
            "refundamount",
        ],
    ),
    (
        Field::Sku,
        &[
            "商品编号",
            "商品编码",
            "商品条码",
            "条码",
            "货号",
            "款号",
            "sku",
            "itemcode",
            "productcode",
        ],
    ),
    (
        Field::Category,
        &["品类", "类别", "category", "productcategory"],
    ),
    (Field::Quantity, &["数量", "件数", "quantity", "qty"]),
    (
        Field::LineAmount,
        &[
            "明细金额",
            "行金额",
            "商品金额",
            "小计",
            "商品实际成交金额",
            "lineamount",
            "linetotal",
            "itemamount",
        ],
    ),
    (
        Field::ReturnId,
        &[
            "退货单号",
            "退单号",
            "退款单号",
            "returnid",
            "returnno",
            "returnnumber",
            "refundid",
        ],
    ),
    (
        Field::Points,
        &[
            "积分",
            "积分余额",
            "当前积分",
            "可用积分",
            "期初积分",
            "剩余积分",
            "会员积分",
            "points",
            "pointsbalance",
            "balance",
            "openingbalance",
            "loyaltypoints",
            "currentpoints",
            "availablepoints",
        ],
    ),
    (
        Field::Expires,
        &[
            "到期日",
            "积分到期",
            "有效期至",
            "过期日期",
            "expires",
            "expiry",
            "expirydate",
            "expireson",
        ],
    ),
    (
        Field::Tier,
        &[
            "等级",
            "会员等级",
            "级别",
            "会员级别",
            "tier",
            "level",
            "membershiptier",
            "memberlevel",
            "membershiplevel",
        ],
    ),
    (
        Field::OriginalReceipt,
        &[
            "原单号",
            "原小票号",
            "原订单号",
            "原销售单号",
            "原始单号",
            "原单据号",
            "原流水号",
            "关联单号",
            "originalreceipt",
            "originalreceiptno",
            "originalreceiptnumber",
            "originalorderid",
            "originalordernumber",
            "originalorder",
            "originaltransactionid",
        ],
    ),
    (
        Field::TotalSpend,
        &[
            "累计消费",
            "累计消费金额",
            "消费总额",
            "总消费",
            "总消费金额",
            "消费累计",
            "totalspend",
            "totalspent",
            "lifetimespend",
        ],
    ),
];

pub fn field_for_header(header: &str) -> Option<Field> {
    let n = normalise_header(header);
    if n.is_empty() {
        return None;
    }
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
        .map(|(f, _)| *f)
}

/// Column index to field, one entry per header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub headers: Vec<String>,
    pub columns: Vec<Option<Field>>,
}

impl Mapping {
    /// Maps every recognised header; when two columns claim one field the
    /// first keeps it.
    pub fn guess(headers: &[String]) -> Mapping {
        let mut columns: Vec<Option<Field>> = Vec::with_capacity(headers.len());
        for h in headers {
            let f = field_for_header(h).filter(|f| !columns.contains(&Some(*f)));
            columns.push(f);
        }
        Mapping {
            headers: headers.to_vec(),
            columns,
        }
    }

    /// The key a remembered mapping is stored under: the same headers in
    /// the same order get the same mapping next time.
    pub fn signature(headers: &[String]) -> String {
        headers
            .iter()
            .map(|h| normalise_header(h))
            .collect::<Vec<_>>()
            .join("|")
    }

    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(field))
    }

    pub fn has(&self, field: Field) -> bool {
        self.column_of(field).is_some()
    }

    /// Assigns `field` to `column`, taking it away from any other column.
    pub fn set(&mut self, column: usize, field: Option<Field>) {
        if let Some(f) = field {
            for c in self.columns.iter_mut() {
                if *c == Some(f) {
                    *c = None;
                }
            }
        }
        if let Some(slot) = self.columns.get_mut(column) {
            *slot = field;
        }
    }

    /// What this mapping still lacks for `kind`; empty means the import
    /// can run without asking.
    pub fn missing(&self, kind: ImportKind) -> Vec<Requirement> {
        let mut out = Vec::new();
        let member_key = self.has(Field::CardNo) || self.has(Field::Mobile);
        match kind {
            ImportKind::Members => {
                if !(self.has(Field::Name)
                    || self.has(Field::FirstName)
                    || self.has(Field::LastName))
                {
                    out.push(Requirement::Field(Field::Name));
                }
                if !member_key {
                    out.push(Requirement::MemberKey);
                }
            }
            ImportKind::Purchases => {
                if !member_key {
                    out.push(Requirement::MemberKey);
                }
                for f in [Field::Date] {
                    if !self.has(f) {
                        out.push(Requirement::Field(f));
                    }
                }
                if !self.has(Field::Amount) && !self.has(Field::LineAmount) {
                    out.push(Requirement::Field(Field::Amount));
                }
            }
            ImportKind::Returns => {
                for f in [Field::Receipt, Field::Date, Field::Amount] {
                    if !self.has(f) {
                        out.push(Requirement::Field(f));
                    }
                }
            }
            ImportKind::OpeningBalances => {
                if !member_key {
                    out.push(Requirement::MemberKey);
                }
                if !self.has(Field::Points) {
                    out.push(Requirement::Field(Field::Points));
                }
            }
        }
        out
    }

    /// The kind of file these columns look like.
    pub fn guess_kind(&self) -> ImportKind {
        let sales = self.has(Field::Amount) || self.has(Field::LineAmount);
        if self.has(Field::ReturnId) {
            ImportKind::Returns
        } else if sales && self.has(Field::Receipt) && self.has(Field::Date) {
            // Order lines that also name the customer (姓名, 手机号).
            ImportKind::Purchases
        } else if self.has(Field::Points) && !self.has(Field::Amount) && !self.has(Field::Name) {
            ImportKind::OpeningBalances
        } else if (self.has(Field::Amount) || self.has(Field::LineAmount))
            && (self.has(Field::Date) || self.has(Field::Receipt))
            && !self.has(Field::Name)
            && !self.has(Field::FirstName)
        {
            ImportKind::Purchases
        } else {
            ImportKind::Members
        }
    }
}

/// Something a mapping must have before an import can run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Field(Field),
    /// A card number or a mobile number column to find the member by.
    MemberKey,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(s: &str) -> Vec<String> {
        s.split(',').map(str::to_string).collect()
    }

    #[test]
    fn chinese_headers_map_to_fields() {
        let m = Mapping::guess(&headers("会员卡号,姓名,手机号,生日,性别,门店,积分,等级"));
        assert_eq!(
            m.columns,
            vec![
                Some(Field::CardNo),
                Some(Field::Name),
                Some(Field::Mobile),
                Some(Field::Birthday),
                Some(Field::Gender),
                Some(Field::Store),
                Some(Field::Points),
                Some(Field::Tier),
            ]
        );
        assert!(m.missing(ImportKind::Members).is_empty());
    }

    #[test]
    fn shopify_customer_export_maps() {
        let m = Mapping::guess(&headers(
            "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags",
        ));
        assert_eq!(m.column_of(Field::CardNo), Some(0));
        assert_eq!(m.column_of(Field::FirstName), Some(1));
        assert_eq!(m.column_of(Field::LastName), Some(2));
        assert_eq!(m.column_of(Field::ConsentEmail), Some(4));
        assert_eq!(m.column_of(Field::Mobile), Some(13));
        assert_eq!(m.column_of(Field::ConsentSms), Some(14));
        assert_eq!(m.column_of(Field::Notes), Some(17));
        assert_eq!(m.guess_kind(), ImportKind::Members);
        assert!(m.missing(ImportKind::Members).is_empty());
    }

    #[test]
    fn square_customer_export_maps() {
        let m = Mapping::guess(&headers(
            "Square Customer ID,First Name,Last Name,Email Address,Phone Number,Nickname,Company Name,Street Address 1,Street Address 2,City,State,Postal Code,Birthday,Memo,Reference ID,Creation Date,First Visit,Last Visit,Transaction Count,Total Spend,Email Subscription Status",
        ));
        assert_eq!(m.column_of(Field::CardNo), Some(0));
        assert_eq!(m.column_of(Field::Email), Some(3));
        assert_eq!(m.column_of(Field::Mobile), Some(4));
        assert_eq!(m.column_of(Field::Birthday), Some(12));
        assert_eq!(m.column_of(Field::Joined), Some(15));
        assert_eq!(m.column_of(Field::ConsentEmail), Some(20));
        assert_eq!(m.guess_kind(), ImportKind::Members);
    }

    #[test]
    fn pos_member_exports_map_balance_tier_and_spend() {
        // Pospal-style and Youzan-style member exports.
        let m = Mapping::guess(&headers(
            "会员号,会员名,会员等级,折扣,余额,积分,手机号,生日,开卡日期,累计消费",
        ));
        assert_eq!(m.column_of(Field::CardNo), Some(0));
        assert_eq!(m.column_of(Field::Name), Some(1));
        assert_eq!(m.column_of(Field::Tier), Some(2));
        assert_eq!(m.columns[4], None, "余额 is stored value, not points");
        assert_eq!(m.column_of(Field::Points), Some(5));
        assert_eq!(m.column_of(Field::Joined), Some(8));
        assert_eq!(m.column_of(Field::TotalSpend), Some(9));
        assert_eq!(m.guess_kind(), ImportKind::Members);
        let m = Mapping::guess(&headers(
            "客户姓名,手机号,会员等级,可用积分,累计消费金额,成为客户时间",
        ));
        assert_eq!(
            m.columns,
            vec![
                Some(Field::Name),
                Some(Field::Mobile),
                Some(Field::Tier),
                Some(Field::Points),
                Some(Field::TotalSpend),
                Some(Field::Joined),
            ]
        );
        assert_eq!(m.guess_kind(), ImportKind::Members);
    }

    #[test]
    fn order_lines_naming_the_customer_are_purchases() {
        let m = Mapping::guess(&headers(
            "小票号,原小票号,会员卡号,姓名,手机号,销售日期,明细金额",
        ));
        assert_eq!(m.column_of(Field::OriginalReceipt), Some(1));
        assert_eq!(m.guess_kind(), ImportKind::Purchases);
        // A Pospal-style sales export.
        let m = Mapping::guess(&headers(
            "单据号,原单据号,会员号,会员名,销售时间,商品编码,商品名称,数量,小计,实收金额",
        ));
        assert_eq!(
            m.columns,
            vec![
                Some(Field::Receipt),
                Some(Field::OriginalReceipt),
                Some(Field::CardNo),
                Some(Field::Name),
                Some(Field::Date),
                Some(Field::Sku),
                None,
                Some(Field::Quantity),
                Some(Field::LineAmount),
                Some(Field::Amount),
            ]
        );
        assert_eq!(m.guess_kind(), ImportKind::Purchases);
    }

    #[test]
    fn order_line_sheet_is_purchases() {
        let m = Mapping::guess(&headers("Customer ID,Order ID,Order Date,Sales"));
        assert_eq!(
            m.columns,
            vec![
                Some(Field::CardNo),
                Some(Field::Receipt),
                Some(Field::Date),
                Some(Field::Amount)
            ]
        );
        assert_eq!(m.guess_kind(), ImportKind::Purchases);
        assert!(m.missing(ImportKind::Purchases).is_empty());
    }

    #[test]
    fn unknown_headers_are_reported_missing_and_editable() {
        let mut m = Mapping::guess(&headers("A,B"));
        assert_eq!(
            m.missing(ImportKind::Members),
            vec![Requirement::Field(Field::Name), Requirement::MemberKey]
        );
        m.set(0, Some(Field::Name));
        m.set(1, Some(Field::Mobile));
        assert!(m.missing(ImportKind::Members).is_empty());
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Mapping>(&json).unwrap(), m);
        assert_eq!(
            Mapping::signature(&headers("Card No.,姓名 ")),
            "cardno|姓名"
        );
    }
}
