# endorse: Simplified Chinese, the pages for people (the sign-on form and what follows it) and
# the e-mails they send. Message ids and variables are described in ../en/pages.ftl.
# Chinese has no plural forms (CLDR category `other` only), so no message selects on a number;
# the measure word follows the number (3天, 60秒, 200个字符).
# Register: 您 for the reader, 贵组织 for their organisation. Full-width punctuation; no spaces
# between digits and characters; a space between Chinese characters and a URL or an e-mail
# address, so it can be copied. Titles and field labels stand in “”. Numbers are grouped with
# a comma (2,000).
# REVIEW: machine-assisted translation; needs review by a native speaker before it is relied on.

## Around every page.

# The language switcher's accessible name.
languages = 语言
skip-to-content = 跳到主要内容
# Before the page title when the form has errors: "错误：支持这项运动".
error-prefix = 错误：
# The link back to the campaign's own website.
campaign-website = 运动网站
powered-by = 支持记录由运动秘书处保管。

## The sign-on form.

sign-title = 支持这项运动
sign-intro = 请将贵组织加入支持“{ $campaign }”的组织行列。每一项支持在公布前都会经过运动秘书处审核。
sign-required = 除标明“选填”的字段外，所有字段均为必填。
error-summary-title = 出现问题
section-organisation = 贵组织
section-contact = 联系人

field-organisation_name = 贵组织的名称
field-organisation_name-hint = 请按希望在支持者名单中显示的方式填写。
field-organisation_type = 组织类型
field-country_code = 国家
field-country_code-hint = 贵组织所在的国家；国际组织请选择其总部所在的国家。
country-choose = 请选择国家
field-website = 网站（选填）
field-website-hint = 例如：https://example.org
field-statement = 支持声明（选填）
field-statement-hint = 不超过2,000个字符。支持声明可能会与贵组织的名称一同公布。
field-visibility = 贵组织应如何显示？
visibility-public = 在公开的支持者名单中列出名称
visibility-public-hint = 将公布其名称、国家和支持声明。
visibility-count_only = 计入总数，但绝不显示名称
visibility-count_only-hint = 如果公开名称可能使贵组织或其人员面临风险，请选择此项。贵组织将计入总数，但绝不会在任何地方被列出、导出或显示。
field-contact_name = 您的姓名
field-contact_name-hint = 绝不公开。秘书处可能会就此项支持与您联系。
field-contact_email = 您的电子邮件地址
field-contact_email-hint = 我们将向您发送一个确认链接。绝不公开。
# When no mail is configured (no SMTP server): no link is sent.
field-contact_email-hint-no-mail = 运动秘书处可能会写信给您以核实联署。绝不公开。
field-consent_to_publish = 同意
field-consent_to_publish-label = 本组织同意按上述选择公布其支持。
submit = 支持这项运动
# A field only robots fill in; people never see it (it is hidden), screen readers skip it.
honeypot = 请将此字段留空

type-ngo = 非政府组织
type-network = 网络或联盟
type-un_agency = 联合国机构
type-intergovernmental = 政府间组织
type-academic = 大学或研究机构
type-faith_based = 宗教组织
type-legal = 律师事务所、法律诊所或律师协会
type-other = 其他类型的组织

## What is wrong with a field: one message per problem; $field is the field's label.

error-required-organisation_name = 请输入贵组织的名称
error-required-organisation_type = 请选择贵组织的类型
error-required-country_code = 请选择贵组织所在的国家
error-required-contact_name = 请输入您的姓名
error-required-contact_email = 请输入您的电子邮件地址
error-required = 请填写“{ $field }”
error-consent_required = 请确认贵组织同意公布其支持
error-too_long = “{ $field }”不得超过{ $max }个字符
error-too_short = “{ $field }”至少需要{ $min }个字符
error-characters = “{ $field }”包含无法显示的字符（例如不可见的文字方向标记），请将其删除
error-invalid_email = 请输入格式正确的电子邮件地址，例如 name@example.org
error-invalid_url = 请输入以 https:// 或 http:// 开头的网址，例如 https://example.org
error-link_not_allowed = { $field }不得包含网址或电子邮件地址：只写名称
error-unknown_country = 请从列表中选择一个国家
error-invalid_choice = 请为“{ $field }”选择一个选项
error-invalid = 请检查“{ $field }”

## After the form.

thanks-title = 请查收邮件
thanks-sent = 我们已向您提供的电子邮件地址发送了一个链接。请打开该链接以确认您的地址：在您确认之前，贵组织的支持不会被计入。
thanks-expiry = 该链接的有效期为{ $days }天。
thanks-spam = 如果几分钟后仍未收到邮件，请查看垃圾邮件文件夹。邮件由运动秘书处发出。
thanks-next = 您确认后，秘书处将审核此项支持。支持公布后，我们会发邮件通知您。
thanks-title-no-mail = 谢谢
thanks-no-mail = 运动秘书处将在公布前审核贵组织的支持。
sign-again = 代表另一个组织表示支持

duplicate-title = 贵组织已经支持了这项运动
duplicate-body = 来自{ $country }的{ $organisation }已有一项支持正在等待审核或已经公布，因此本次提交未被添加。
duplicate-help = 如果是您提交的，但一直没有收到确认邮件，请查看垃圾邮件文件夹，或联系运动秘书处。
back-to-form = 返回表单

rate-limited-title = 来自您所在网络的提交过多
rate-limited-body = 为防止自动提交，我们每次只接受来自同一地址的少量提交。请在{ $seconds }秒后重试。

not-found-title = 找不到页面
not-found-body = 此地址没有对应的运动。请检查您所打开的链接。

unavailable-title = 抱歉，服务暂时无法使用
unavailable-body = 未保存任何内容。请过几分钟再试。
not-a-form-title = 无法读取此表单
not-a-form-body = 未保存任何内容。请在表单页面上填写并从该页面提交。
bad-request-title = 无法读取此请求
bad-request-body = 未保存任何内容。请返回表单并重新提交。
form-stale = 此表单打开已超过 { $hours } 小时，因此未提交。请检查您填写的内容并重新提交。

## Confirming the e-mail address (the link in the e-mail).

confirm-title = 确认您的电子邮件地址
confirm-lead = 请确认是您申请将{ $organisation }加入支持“{ $campaign }”的组织行列。
confirm-button = 确认我的电子邮件地址
confirm-not-you = 如果这不是您提出的申请，请关闭此页面：任何内容都不会公布，此次提交也将被删除。
confirmed-title = 谢谢，您的地址已确认
confirmed-body = 运动秘书处现在将审核{ $organisation }的支持。支持公布后，我们会发邮件通知您。
confirm-already-title = 您的地址已经确认
confirm-already-body = 您无需再做任何操作：秘书处将审核{ $organisation }的支持。
confirm-expired-title = 此链接已过期
confirm-expired-body = 确认链接的有效期为{ $days }天。我们可以向同一地址发送一个新链接。
confirm-renew-button = 给我发送新链接
confirm-renewed-title = 我们已发送新链接
confirm-renewed-body = 请打开我们刚刚发送的邮件中的新链接。该链接的有效期为{ $days }天。
confirm-unknown-title = 此链接无效
confirm-unknown-body = 链接可能没有复制完整，或者此项支持已被撤回或删除。如需帮助，请联系运动秘书处。

## E-mails. Plain sentences; the link stands on its own line.

mail-confirm-subject = 请确认贵组织对“{ $campaign }”的支持
mail-greeting = { $name }，您好：
mail-confirm-asked = 您申请将{ $organisation }加入支持“{ $campaign }”的组织行列。
mail-confirm-open = 请打开以下链接，确认您的电子邮件地址：
mail-confirm-expiry = 该链接的有效期为{ $days }天。在您确认之前，贵组织的支持不会被计入；确认后，运动秘书处将进行审核。
mail-confirm-not-you = 如果这不是您提出的申请，请忽略此邮件：任何内容都不会公布，此次提交也将被删除。
mail-signature = “{ $campaign }”秘书处

mail-approved-subject = { $organisation }的支持现已公开
mail-approved-count-only-subject = { $organisation }的支持现已计入
mail-approved-public = { $organisation }现已列入支持“{ $campaign }”的组织，并在公开名单中具名显示。
mail-approved-count-only = { $organisation }现已计入支持“{ $campaign }”的组织总数。按照您的选择，其名称绝不会显示。
mail-approved-embed = 您可以在贵组织的网站上显示实时统计数字。请将以下代码之一复制到网页中：
mail-approved-badge = 徽章：
mail-approved-counter = 计数器：
mail-approved-thanks = 感谢您的支持。

mail-notify-subject = 有新的支持待审核：{ $organisation }
mail-notify-intro = 联系人已确认其电子邮件地址。此项支持正在等待审核。
mail-notify-domain-match = 联系人的电子邮件地址属于该组织自己的域名。
mail-notify-domain-differs = 联系人的电子邮件地址不属于该组织网站的域名：请核实此人能代表该组织。
mail-notify-domain-unknown = 未填写网站，因此无法将联系人的地址与之比较。
mail-notify-reference = 支持编号：{ $id }
mail-notify-review = 在控制台中审核：

## The home page at /: the campaigns, with links to their form and embeds, and the console.
home-title = 联署
home-intro = 各组织联署以下运动。签署其中一项，或在您自己的网站上展示其数据。
home-sign = 联署：签署表单
home-counter = 计数器（可嵌入）
home-list = 联署者名单（可嵌入）
home-map = 世界地图（可嵌入）
home-embedded-form = 表单（可嵌入您的网站）
home-no-campaign = 目前还没有任何运动。
home-secretariat = 供秘书处和开发者使用
home-console = 控制台：审核并维护记录
home-api = API 及其文档
