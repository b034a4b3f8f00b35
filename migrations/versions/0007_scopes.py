"""scopes: sub-boards of a project, owning columns (and through them cards)

Revision ID: 0007_scopes
Revises: 0006_card_depth
Create Date: 2026-11-29 04:00:28.330519

`board_columns.scope_id` is added in place, never by rebuilding the table: a rebuild drops
`board_columns`, and with foreign keys on, that would cascade to every card. SQLite can only
add (and drop) such a column without a foreign key, so there the column is a plain indexed
id; `scopes.delete_scope` deletes a scope's columns itself, on every database.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_scopes'
down_revision = '0006_card_depth'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scopes',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('project_id', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('start_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active_view', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.String(length=24), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_scopes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_scopes_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scopes'))
    )
    op.create_index(op.f('ix_scopes_created_by_id'), 'scopes', ['created_by_id'], unique=False)
    op.create_index(op.f('ix_scopes_project_id'), 'scopes', ['project_id'], unique=False)

    op.add_column('board_columns', sa.Column('scope_id', sa.String(length=24), nullable=True))
    if not _sqlite():
        op.create_foreign_key(op.f('fk_board_columns_scope_id_scopes'), 'board_columns', 'scopes',
                              ['scope_id'], ['id'], ondelete='CASCADE')
    op.create_index(op.f('ix_board_columns_scope_id'), 'board_columns', ['scope_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_board_columns_scope_id'), table_name='board_columns')
    # Scope columns and their cards go with their scopes.
    op.execute("DELETE FROM board_columns WHERE scope_id IS NOT NULL")
    if not _sqlite():
        op.drop_constraint(op.f('fk_board_columns_scope_id_scopes'), 'board_columns', type_='foreignkey')
    op.drop_column('board_columns', 'scope_id')
    op.drop_index(op.f('ix_scopes_project_id'), table_name='scopes')
    op.drop_index(op.f('ix_scopes_created_by_id'), table_name='scopes')
    op.drop_table('scopes')


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'
