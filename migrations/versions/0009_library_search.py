"""Library search: an FTS5 table of stemmed Dutch words on SQLite, a generated tsvector column with a GIN index on PostgreSQL

Revision ID: 0009_library_search
Revises: 0008_library
Create Date: 2026-11-29 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_library_search'
down_revision = '0008_library'
branch_labels = None
depends_on = None

#: Title weighs most, then the summary, the body and the document's text (leerkring.library.search).
POSTGRES_VECTOR = """
    setweight(to_tsvector('dutch', coalesce(title, '')), 'A')
    || setweight(to_tsvector('dutch', coalesce(summary, '')), 'B')
    || setweight(to_tsvector('dutch', coalesce(body, '')), 'C')
    || setweight(to_tsvector('dutch', left(coalesce(document_text, ''), 200000)), 'D')
"""


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'ALTER TABLE library_items ADD COLUMN search_vector tsvector '
            f'GENERATED ALWAYS AS ({POSTGRES_VECTOR}) STORED'
        )
        op.execute(
            'CREATE INDEX ix_library_items_search_vector ON library_items USING gin (search_vector)'
        )
        return
    op.execute(
        'CREATE VIRTUAL TABLE library_search USING fts5('
        "title, summary, body, document_text, tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        'CREATE TRIGGER library_search_forget AFTER DELETE ON library_items '
        'BEGIN DELETE FROM library_search WHERE rowid = old.id; END'
    )
    from leerkring.library.search import indexed_fields

    bind = op.get_bind()
    items = bind.execute(
        sa.text('SELECT id, title, summary, body, document_text FROM library_items')
    ).all()
    for item in items:
        bind.execute(
            sa.text(
                'INSERT INTO library_search (rowid, title, summary, body, document_text) '
                'VALUES (:id, :title, :summary, :body, :document_text)'
            ),
            {'id': item.id, **indexed_fields(item)},
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_library_items_search_vector')
        op.execute('ALTER TABLE library_items DROP COLUMN search_vector')
        return
    op.execute('DROP TRIGGER library_search_forget')
    op.execute('DROP TABLE library_search')
