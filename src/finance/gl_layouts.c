/*
 * gl_layouts.c - the lines of the financial statements and the accounts
 * each line adds up: the one place to change when a statement's layout
 * or the chart changes.
 *
 * A layout is a list of lines, in the order they print:
 *
 *   H  a heading: a label, no figures
 *   I  an item (T: one printed without indentation, as a top line):
 *      the sum of the accounts whose codes start with one of
 *      the prefixes in `accounts` (space-separated); an account matched
 *      by several items' prefixes belongs to the item with the longest
 *      prefix; an account no prefix matches belongs to the item whose
 *      `fallback` names its type (asset, liability, equity, income,
 *      expense), so that every account is in the statement once
 *   S  a sum of earlier lines: `sum` lists their keys, each with + or -
 *
 * Signs.  Balances are debit-positive in the ledger; `sign` -1 shows a
 * line credit-positive (liabilities, equity, income), +1 as it is.  An
 * item's sign applies to each of its accounts, so a contra account (坏账
 * 准备 1231 under 应收账款) simply subtracts.
 *
 * Balance-sheet layouts also take the income and expense accounts (into
 * 未分配利润 / Retained earnings): the profit of a year not yet closed is
 * equity, and assets equal liabilities and equity.
 *
 * The Chinese layouts follow the general enterprise formats of 财会〔2019〕6
 *号 (资产负债表 with 期末余额 / 年初余额, 利润表 with 本期金额 / 本年累计
 * 金额), cut to the lines the shipped chart (data/chart-cn.csv) can fill;
 * their labels are statutory Chinese and not translated.  The IFRS
 * layouts follow IAS 1's statement of financial position and statement
 * of profit or loss (expenses by function) for data/chart-ifrs.csv.
 */
#include <stddef.h>
#include <string.h>

#include "base/i18n.h"
#include "finance/gl_layout.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ Chinese */

static const struct stmt_line bs_cn[] = {
	{ "a", 'H', "资产", NULL, NULL, NULL, 1 },
	{ "ca", 'H', "流动资产：", NULL, NULL, NULL, 1 },
	{ "cash", 'I', "货币资金", "1001 1002 1012", NULL, NULL, 1 },
	{ "tfa", 'I', "交易性金融资产", "1101", NULL, NULL, 1 },
	{ "nr", 'I', "应收票据", "1121", NULL, NULL, 1 },
	{ "ar", 'I', "应收账款", "1122 1231", NULL, NULL, 1 },
	{ "prep", 'I', "预付款项", "1123", NULL, NULL, 1 },
	{ "oar", 'I', "其他应收款", "1131 1132 1221", NULL, NULL, 1 },
	{ "inv", 'I', "存货",
	  "1401 1402 1403 1404 1405 1406 1408 1411 1471 5001 5101 5201",
	  NULL, NULL, 1 },
	{ "oca", 'I', "其他流动资产", "1901", "asset", NULL, 1 },
	{ "tca", 'S', "流动资产合计", NULL, NULL,
	  "+cash +tfa +nr +ar +prep +oar +inv +oca", 1 },
	{ "nca", 'H', "非流动资产：", NULL, NULL, NULL, 1 },
	{ "lti", 'I', "长期股权投资", "1511", NULL, NULL, 1 },
	{ "fa", 'I', "固定资产", "1601 1602 1603 1606", NULL, NULL, 1 },
	{ "cip", 'I', "在建工程", "1604", NULL, NULL, 1 },
	{ "ia", 'I', "无形资产", "1701 1702", NULL, NULL, 1 },
	{ "dev", 'I', "开发支出", "5301", NULL, NULL, 1 },
	{ "ltp", 'I', "长期待摊费用", "1801", NULL, NULL, 1 },
	{ "dta", 'I', "递延所得税资产", "1811", NULL, NULL, 1 },
	{ "tnca", 'S', "非流动资产合计", NULL, NULL,
	  "+lti +fa +cip +ia +dev +ltp +dta", 1 },
	{ "ta", 'S', "资产总计", NULL, NULL, "+tca +tnca", 1 },

	{ "le", 'H', "负债和所有者权益（或股东权益）", NULL, NULL, NULL, -1 },
	{ "cl", 'H', "流动负债：", NULL, NULL, NULL, -1 },
	{ "stb", 'I', "短期借款", "2001", NULL, NULL, -1 },
	{ "np", 'I', "应付票据", "2201", NULL, NULL, -1 },
	{ "ap", 'I', "应付账款", "2202", NULL, NULL, -1 },
	{ "adv", 'I', "预收款项", "2203", NULL, NULL, -1 },
	{ "sal", 'I', "应付职工薪酬", "2211", NULL, NULL, -1 },
	{ "tax", 'I', "应交税费", "2221", NULL, NULL, -1 },
	{ "oap", 'I', "其他应付款", "2231 2232 2241", "liability", NULL, -1 },
	{ "tcl", 'S', "流动负债合计", NULL, NULL,
	  "+stb +np +ap +adv +sal +tax +oap", -1 },
	{ "ncl", 'H', "非流动负债：", NULL, NULL, NULL, -1 },
	{ "ltb", 'I', "长期借款", "2501", NULL, NULL, -1 },
	{ "ltap", 'I', "长期应付款", "2701", NULL, NULL, -1 },
	{ "dtl", 'I', "递延所得税负债", "2901", NULL, NULL, -1 },
	{ "tncl", 'S', "非流动负债合计", NULL, NULL, "+ltb +ltap +dtl", -1 },
	{ "tl", 'S', "负债合计", NULL, NULL, "+tcl +tncl", -1 },
	{ "eq", 'H', "所有者权益（或股东权益）：", NULL, NULL, NULL, -1 },
	{ "cap", 'I', "实收资本（或股本）", "4001", NULL, NULL, -1 },
	{ "csur", 'I', "资本公积", "4002", "equity", NULL, -1 },
	{ "ssur", 'I', "盈余公积", "4101", NULL, NULL, -1 },
	{ "re", 'I', "未分配利润", "4103 4104 6", "income expense", NULL, -1 },
	{ "te", 'S', "所有者权益（或股东权益）合计", NULL, NULL,
	  "+cap +csur +ssur +re", -1 },
	{ "tle", 'S', "负债和所有者权益（或股东权益）总计", NULL, NULL,
	  "+tl +te", -1 },
};

static const struct stmt_line is_cn[] = {
	{ "rev", 'T', "一、营业收入", "6001 6051", NULL, NULL, -1 },
	{ "cos", 'I', "减：营业成本", "6401 6402", NULL, NULL, 1 },
	{ "btax", 'I', "税金及附加", "6403", NULL, NULL, 1 },
	{ "sell", 'I', "销售费用", "6601", NULL, NULL, 1 },
	{ "adm", 'I', "管理费用", "6602", "expense", NULL, 1 },
	{ "fin", 'I', "财务费用", "6603", NULL, NULL, 1 },
	{ "oinc", 'I', "加：其他收益", NULL, "income", NULL, -1 },
	{ "invi", 'I', "投资收益（损失以“-”号填列）", "6111", NULL, NULL, -1 },
	{ "fvc", 'I', "公允价值变动收益（损失以“-”号填列）", "6101", NULL,
	  NULL, -1 },
	{ "imp", 'I', "资产减值损失（损失以“-”号填列）", "6701", NULL, NULL,
	  -1 },
	{ "op", 'S', "二、营业利润（亏损以“-”号填列）", NULL, NULL,
	  "+rev -cos -btax -sell -adm -fin +oinc +invi +fvc +imp", -1 },
	{ "noi", 'I', "加：营业外收入", "6301", NULL, NULL, -1 },
	{ "noe", 'I', "减：营业外支出", "6711", NULL, NULL, 1 },
	{ "pbt", 'S', "三、利润总额（亏损总额以“-”号填列）", NULL, NULL,
	  "+op +noi -noe", -1 },
	{ "itax", 'I', "减：所得税费用", "6801", NULL, NULL, 1 },
	{ "np", 'S', "四、净利润（净亏损以“-”号填列）", NULL, NULL,
	  "+pbt -itax", -1 },
};

/* --------------------------------------------------------------- IFRS */

static const struct stmt_line bs_ifrs[] = {
	{ "a", 'H', N_("ASSETS"), NULL, NULL, NULL, 1 },
	{ "nca", 'H', N_("Non-current assets"), NULL, NULL, NULL, 1 },
	{ "ppe", 'I', N_("Property, plant and equipment"), "1500 1510", NULL,
	  NULL, 1 },
	{ "ia", 'I', N_("Intangible assets"), "1600 1610", NULL, NULL, 1 },
	{ "dta", 'I', N_("Deferred tax assets"), "1700", NULL, NULL, 1 },
	{ "tnca", 'S', N_("Total non-current assets"), NULL, NULL,
	  "+ppe +ia +dta", 1 },
	{ "ca", 'H', N_("Current assets"), NULL, NULL, NULL, 1 },
	{ "inv", 'I', N_("Inventories"), "1200 1210 1220", NULL, NULL, 1 },
	{ "tr", 'I', N_("Trade and other receivables"), "1100 1110 1150",
	  NULL, NULL, 1 },
	{ "prep", 'I', N_("Prepayments"), "1300", NULL, NULL, 1 },
	{ "oca", 'I', N_("Other current assets"), "1400", "asset", NULL, 1 },
	{ "cash", 'I', N_("Cash and cash equivalents"), "1000 1010", NULL,
	  NULL, 1 },
	{ "tca", 'S', N_("Total current assets"), NULL, NULL,
	  "+inv +tr +prep +oca +cash", 1 },
	{ "ta", 'S', N_("Total assets"), NULL, NULL, "+tnca +tca", 1 },

	{ "el", 'H', N_("EQUITY AND LIABILITIES"), NULL, NULL, NULL, -1 },
	{ "eq", 'H', N_("Equity"), NULL, NULL, NULL, -1 },
	{ "sc", 'I', N_("Share capital"), "3000", NULL, NULL, -1 },
	{ "sp", 'I', N_("Share premium"), "3100", NULL, NULL, -1 },
	{ "re", 'I', N_("Retained earnings"), "3200 3300 4 5",
	  "income expense", NULL, -1 },
	{ "oe", 'I', N_("Other reserves"), NULL, "equity", NULL, -1 },
	{ "te", 'S', N_("Total equity"), NULL, NULL, "+sc +sp +re +oe", -1 },
	{ "ncl", 'H', N_("Non-current liabilities"), NULL, NULL, NULL, -1 },
	{ "ltb", 'I', N_("Long-term borrowings"), "2500", NULL, NULL, -1 },
	{ "prov", 'I', N_("Provisions"), "2600", NULL, NULL, -1 },
	{ "dtl", 'I', N_("Deferred tax liabilities"), "2700", NULL, NULL, -1 },
	{ "tncl", 'S', N_("Total non-current liabilities"), NULL, NULL,
	  "+ltb +prov +dtl", -1 },
	{ "cl", 'H', N_("Current liabilities"), NULL, NULL, NULL, -1 },
	{ "tp", 'I', N_("Trade and other payables"), "2000 2100", NULL, NULL,
	  -1 },
	{ "cadv", 'I', N_("Contract liabilities"), "2450", NULL, NULL, -1 },
	{ "stb", 'I', N_("Short-term borrowings"), "2400", NULL, NULL, -1 },
	{ "ctax", 'I', N_("Current tax liabilities"), "2210", NULL, NULL, -1 },
	{ "ocl", 'I', N_("Other current liabilities"), "2200 2300",
	  "liability", NULL, -1 },
	{ "tcl", 'S', N_("Total current liabilities"), NULL, NULL,
	  "+tp +cadv +stb +ctax +ocl", -1 },
	{ "tl", 'S', N_("Total liabilities"), NULL, NULL, "+tncl +tcl", -1 },
	{ "tel", 'S', N_("Total equity and liabilities"), NULL, NULL,
	  "+te +tl", -1 },
};

static const struct stmt_line is_ifrs[] = {
	{ "rev", 'I', N_("Revenue"), "4000 4100", NULL, NULL, -1 },
	{ "cos", 'I', N_("Cost of sales"), "5000", NULL, NULL, 1 },
	{ "gp", 'S', N_("Gross profit"), NULL, NULL, "+rev -cos", -1 },
	{ "oi", 'I', N_("Other income"), "4200 4400", "income", NULL, -1 },
	{ "dist", 'I', N_("Distribution costs"), "5400", NULL, NULL, 1 },
	{ "adm", 'I', N_("Administrative expenses"), "5100 5200 5300 5500",
	  "expense", NULL, 1 },
	{ "oe", 'I', N_("Other expenses"), "5600 5800", NULL, NULL, 1 },
	{ "op", 'S', N_("Operating profit"), NULL, NULL,
	  "+gp +oi -dist -adm -oe", -1 },
	{ "fi", 'I', N_("Finance income"), "4300", NULL, NULL, -1 },
	{ "fc", 'I', N_("Finance costs"), "5700", NULL, NULL, 1 },
	{ "pbt", 'S', N_("Profit before tax"), NULL, NULL, "+op +fi -fc", -1 },
	{ "itax", 'I', N_("Income tax expense"), "5900", NULL, NULL, 1 },
	{ "np", 'S', N_("Profit for the period"), NULL, NULL, "+pbt -itax",
	  -1 },
};

const struct stmt_layout gl_layout_bs_cn = {
	"资产负债表", bs_cn, NELEM(bs_cn), "ta", "tle"
};
const struct stmt_layout gl_layout_is_cn = {
	"利润表", is_cn, NELEM(is_cn), NULL, NULL
};
const struct stmt_layout gl_layout_bs_ifrs = {
	N_("Statement of financial position"), bs_ifrs, NELEM(bs_ifrs), "ta",
	"tel"
};
const struct stmt_layout gl_layout_is_ifrs = {
	N_("Statement of profit or loss"), is_ifrs, NELEM(is_ifrs), NULL, NULL
};

/* ------------------------------------------------------------ matching */

/* Length of the longest prefix of `list` (space-separated) code starts with. */
static size_t prefix_len(const char *list, const char *code)
{
	size_t best = 0;

	for (const char *p = list; p && *p; ) {
		size_t n;
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n && n > best && strncmp(code, p, n) == 0)
			best = n;
		p += n;
	}
	return best;
}

/* True when `type` is one of the space-separated words of list. */
static bool has_word(const char *list, const char *type)
{
	size_t len = strlen(type);

	for (const char *p = list; p && *p; ) {
		size_t n;
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == len && strncmp(p, type, n) == 0)
			return true;
		p += n;
	}
	return false;
}

bool gl_layout_is_item(const struct stmt_line *ln)
{
	return ln->kind == 'I' || ln->kind == 'T';
}

int gl_layout_item(const struct stmt_layout *l, const char *code,
		   const char *type)
{
	size_t best = 0;
	int at = -1;

	for (size_t i = 0; code && i < l->n; i++) {
		size_t n;
		if (!gl_layout_is_item(&l->lines[i]))
			continue;
		n = prefix_len(l->lines[i].accounts, code);
		if (n > best) {
			best = n;
			at = (int)i;
		}
	}
	if (at >= 0 || !type)
		return at;
	for (size_t i = 0; i < l->n; i++)
		if (gl_layout_is_item(&l->lines[i]) &&
		    has_word(l->lines[i].fallback, type))
			return (int)i;
	return -1;
}

int gl_layout_find(const struct stmt_layout *l, const char *key)
{
	for (size_t i = 0; key && i < l->n; i++)
		if (strcmp(l->lines[i].key, key) == 0)
			return (int)i;
	return -1;
}
