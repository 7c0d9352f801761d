"""How civil_affairs_2025.docx/.doc were made (fictional text written for the tests):

    python make_civil_affairs_doc.py && soffice --headless --convert-to doc civil_affairs_2025.docx

LibreOffice writes the .doc in the Word 97-2003 binary format; the .docx is kept to compare the two readers.
"""

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

d = Document()
d.core_properties.title = "示例县民政局2025年工作要点（示例）"
d.add_heading("示例县民政局2025年工作要点（示例）", level=1)
d.add_paragraph("一、兜牢民生底线")
d.add_paragraph("农村低保标准提高到每人每月620元，特困人员基本生活标准不低于低保标准的1.3倍。")
p = d.add_paragraph("二、发展居家社区养老服务（见")
field = OxmlElement("w:fldSimple")  # a field: its instruction must not reach the text, its result must
field.set(qn("w:instr"), ' HYPERLINK "http://example.invalid/plan" ')
run = OxmlElement("w:r")
text = OxmlElement("w:t")
text.text = "附件一"
run.append(text)
field.append(run)
p._p.append(field)
p.add_run("）")
d.add_paragraph("新建老年助餐点25个，探索通过政府购买服务方式引入社会组织开展上门探访。")
table = d.add_table(rows=2, cols=2)
for (row, col), value in {(0, 0): "指标", (0, 1): "目标值", (1, 0): "老年助餐点", (1, 1): "25个"}.items():
    table.cell(row, col).text = value
d.add_paragraph("三、加强社会组织培育\t支持社区社会组织参与基层治理。")
d.save("civil_affairs_2025.docx")
