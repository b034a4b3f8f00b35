"""knowledge: documents, revisions, reviews, search index, pilotage links

Search is the database's own full-text engine, kept in step by the database on every write
(services, bulk inserts, cascading deletes alike):
- PostgreSQL: a generated `search_vector` tsvector column on `documents` and `cards`
  (title weighted A, text weighted B) with a GIN index.
- SQLite: `search_entries` (one row per document or card, fed by triggers on `documents` and
  `cards`) and the FTS5 table `search_fts` over it (external content, kept by triggers).

Revision ID: 0005_knowledge
Revises: 0004_pilotage
Create Date: 2026-11-28 22:07:59.107213

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_knowledge'
down_revision = '0004_pilotage'
branch_labels = None
depends_on = None

# Only the first 200,000 characters of a document's text are indexed: PostgreSQL refuses a
# tsvector above 1 MB, and the write must never fail because a document is long.
POSTGRES_UP = [
    """ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('simple', title), 'A')
           || setweight(to_tsvector('simple', left(plain_text, 200000)), 'B')) STORED""",
    "CREATE INDEX ix_documents_search_vector ON documents USING gin (search_vector)",
    """ALTER TABLE cards ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('simple', title), 'A')
           || setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED""",
    "CREATE INDEX ix_cards_search_vector ON cards USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX ix_cards_search_vector",
    "ALTER TABLE cards DROP COLUMN search_vector",
    "DROP INDEX ix_documents_search_vector",
    "ALTER TABLE documents DROP COLUMN search_vector",
]

_CARD_WORKSPACE = "(SELECT workspace_id FROM projects WHERE projects.id = new.project_id)"
SQLITE_UP = [
    """CREATE TABLE search_entries (
           id INTEGER PRIMARY KEY,
           kind VARCHAR(16) NOT NULL,
           ref_id VARCHAR(24) NOT NULL,
           workspace_id VARCHAR(24) NOT NULL,
           project_id VARCHAR(24),
           title TEXT NOT NULL,
           body TEXT NOT NULL,
           CONSTRAINT uq_search_entries_kind_ref UNIQUE (kind, ref_id))""",
    "CREATE INDEX ix_search_entries_workspace ON search_entries (workspace_id)",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
           title, body, content='search_entries', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
           INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
    """CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
           INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
       END""",
    """CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
           INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
           INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
    """CREATE TRIGGER documents_search_ai AFTER INSERT ON documents BEGIN
           INSERT INTO search_entries(kind, ref_id, workspace_id, project_id, title, body)
           VALUES ('document', new.id, new.workspace_id, NULL, new.title, substr(new.plain_text, 1, 200000));
       END""",
    """CREATE TRIGGER documents_search_au AFTER UPDATE OF title, plain_text ON documents BEGIN
           UPDATE search_entries SET title = new.title, body = substr(new.plain_text, 1, 200000)
           WHERE kind = 'document' AND ref_id = new.id;
       END""",
    """CREATE TRIGGER documents_search_ad AFTER DELETE ON documents BEGIN
           DELETE FROM search_entries WHERE kind = 'document' AND ref_id = old.id;
       END""",
    f"""CREATE TRIGGER cards_search_ai AFTER INSERT ON cards BEGIN
           INSERT INTO search_entries(kind, ref_id, workspace_id, project_id, title, body)
           VALUES ('card', new.id, {_CARD_WORKSPACE}, new.project_id, new.title, coalesce(new.description, ''));
       END""",
    """CREATE TRIGGER cards_search_au AFTER UPDATE OF title, description ON cards BEGIN
           UPDATE search_entries SET title = new.title, body = coalesce(new.description, '')
           WHERE kind = 'card' AND ref_id = new.id;
       END""",
    """CREATE TRIGGER cards_search_ad AFTER DELETE ON cards BEGIN
           DELETE FROM search_entries WHERE kind = 'card' AND ref_id = old.id;
       END""",
    # Cards written before this migration.
    """INSERT INTO search_entries(kind, ref_id, workspace_id, project_id, title, body)
       SELECT 'card', cards.id, projects.workspace_id, cards.project_id, cards.title, coalesce(cards.description, '')
       FROM cards JOIN projects ON projects.id = cards.project_id""",
]
SQLITE_DOWN = [
    "DROP TRIGGER cards_search_ad",
    "DROP TRIGGER cards_search_au",
    "DROP TRIGGER cards_search_ai",
    "DROP TRIGGER documents_search_ad",
    "DROP TRIGGER documents_search_au",
    "DROP TRIGGER documents_search_ai",
    "DROP TABLE search_fts",
    "DROP TABLE search_entries",
]


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('documents',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('workspace_id', sa.String(length=24), nullable=False),
    sa.Column('parent_id', sa.String(length=24), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('doc_type', sa.String(length=16), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('plain_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('project_id', sa.String(length=24), nullable=True),
    sa.Column('card_id', sa.String(length=24), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.String(length=24), nullable=True),
    sa.Column('updated_by_id', sa.String(length=24), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_documents_card_id_cards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_documents_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['documents.id'], name=op.f('fk_documents_parent_id_documents')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_documents_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_documents_updated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_documents_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_updated_by_id'), ['updated_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('document_reviews',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('document_id', sa.String(length=24), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.String(length=24), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_document_reviews_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_reviews_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_reviews'))
    )
    with op.batch_alter_table('document_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_reviews_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_document_reviews_document_created', ['document_id', 'created_at'], unique=False)

    op.create_table('document_revisions',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('document_id', sa.String(length=24), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('doc_type', sa.String(length=16), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.String(length=24), nullable=True),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_document_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_revisions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_revisions')),
    sa.UniqueConstraint('document_id', 'number', name='uq_document_revisions_document_number')
    )
    with op.batch_alter_table('document_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_revisions_author_id'), ['author_id'], unique=False)

    op.create_table('pilotage_decision_documents',
    sa.Column('decision_id', sa.String(length=24), nullable=False),
    sa.Column('document_id', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['pilotage_decisions.id'], name=op.f('fk_pilotage_decision_documents_decision_id_pilotage_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_pilotage_decision_documents_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'document_id', name=op.f('pk_pilotage_decision_documents'))
    )
    with op.batch_alter_table('pilotage_decision_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilotage_decision_documents_document_id'), ['document_id'], unique=False)

    with op.batch_alter_table('pilotage_docs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.String(length=24), nullable=True))
        batch_op.create_index(batch_op.f('ix_pilotage_docs_document_id'), ['document_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_pilotage_docs_document_id_documents'), 'documents', ['document_id'], ['id'], ondelete='SET NULL')

    # A plain ADD COLUMN: a batch copy of `workspaces` would cascade-delete everything below it.
    op.add_column('workspaces', sa.Column('require_independent_review', sa.Boolean(),
                                          server_default=sa.false(), nullable=False))

    # ### end Alembic commands ###
    if op.get_bind().dialect.name == 'postgresql':
        for statement in POSTGRES_UP:
            op.execute(statement)
    else:
        for statement in SQLITE_UP:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in POSTGRES_DOWN:
            op.execute(statement)
    else:
        for statement in SQLITE_DOWN:
            op.execute(statement)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('require_independent_review')

    with op.batch_alter_table('pilotage_docs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pilotage_docs_document_id_documents'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_pilotage_docs_document_id'))
        batch_op.drop_column('document_id')

    with op.batch_alter_table('pilotage_decision_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilotage_decision_documents_document_id'))

    op.drop_table('pilotage_decision_documents')
    with op.batch_alter_table('document_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_revisions_author_id'))

    op.drop_table('document_revisions')
    with op.batch_alter_table('document_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_document_reviews_document_created')
        batch_op.drop_index(batch_op.f('ix_document_reviews_actor_id'))

    op.drop_table('document_reviews')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_documents_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_documents_project_id'))
        batch_op.drop_index(batch_op.f('ix_documents_parent_id'))
        batch_op.drop_index(batch_op.f('ix_documents_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_documents_card_id'))

    op.drop_table('documents')
    # ### end Alembic commands ###
