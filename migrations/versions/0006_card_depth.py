"""card depth: comments, attachments, labels, custom fields, relations, activity, notifications

Revision ID: 0006_card_depth
Revises: 0005_knowledge
Create Date: 2026-11-28 22:55:01.054436

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_card_depth'
down_revision = '0005_knowledge'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('project_id', sa.String(length=24), nullable=False),
    sa.Column('card_id', sa.String(length=24), nullable=True),
    sa.Column('actor_id', sa.String(length=24), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_activities_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_activities_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_card_id'), ['card_id'], unique=False)
        batch_op.create_index('ix_activities_project_created', ['project_id', 'created_at'], unique=False)

    op.create_table('custom_fields',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('project_id', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_custom_fields_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_fields')),
    sa.UniqueConstraint('project_id', 'name', name='uq_custom_fields_project_name')
    )
    op.create_table('labels',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('project_id', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_labels_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labels')),
    sa.UniqueConstraint('project_id', 'name', name='uq_labels_project_name')
    )
    op.create_table('notifications',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('user_id', sa.String(length=24), nullable=False),
    sa.Column('activity_id', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_notifications_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'activity_id', name='uq_notifications_user_activity')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('card_attachments',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('card_id', sa.String(length=24), nullable=False),
    sa.Column('uploaded_by_id', sa.String(length=24), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('image_type', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_attachments_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_card_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_attachments')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_card_attachments_storage_name'))
    )
    with op.batch_alter_table('card_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_attachments_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_attachments_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('card_comments',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('card_id', sa.String(length=24), nullable=False),
    sa.Column('author_id', sa.String(length=24), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_card_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_comments_card_id_cards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_comments'))
    )
    with op.batch_alter_table('card_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_card_comments_card_created', ['card_id', 'created_at'], unique=False)

    op.create_table('card_labels',
    sa.Column('card_id', sa.String(length=24), nullable=False),
    sa.Column('label_id', sa.String(length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_labels_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['label_id'], ['labels.id'], name=op.f('fk_card_labels_label_id_labels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('card_id', 'label_id', name=op.f('pk_card_labels'))
    )
    with op.batch_alter_table('card_labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_labels_label_id'), ['label_id'], unique=False)

    op.create_table('card_relations',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('source_card_id', sa.String(length=24), nullable=False),
    sa.Column('target_card_id', sa.String(length=24), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.String(length=24), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_card_relations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_card_id'], ['cards.id'], name=op.f('fk_card_relations_source_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_card_id'], ['cards.id'], name=op.f('fk_card_relations_target_card_id_cards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_relations')),
    sa.UniqueConstraint('source_card_id', 'target_card_id', 'type', name='uq_card_relations_source_target_type')
    )
    with op.batch_alter_table('card_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_relations_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_relations_target_card_id'), ['target_card_id'], unique=False)

    op.create_table('custom_field_values',
    sa.Column('card_id', sa.String(length=24), nullable=False),
    sa.Column('field_id', sa.String(length=24), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_custom_field_values_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['field_id'], ['custom_fields.id'], name=op.f('fk_custom_field_values_field_id_custom_fields'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('card_id', 'field_id', name=op.f('pk_custom_field_values'))
    )
    with op.batch_alter_table('custom_field_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custom_field_values_field_id'), ['field_id'], unique=False)



def downgrade():
    with op.batch_alter_table('custom_field_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_custom_field_values_field_id'))

    op.drop_table('custom_field_values')
    with op.batch_alter_table('card_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_relations_target_card_id'))
        batch_op.drop_index(batch_op.f('ix_card_relations_created_by_id'))

    op.drop_table('card_relations')
    with op.batch_alter_table('card_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_labels_label_id'))

    op.drop_table('card_labels')
    with op.batch_alter_table('card_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_card_comments_card_created')
        batch_op.drop_index(batch_op.f('ix_card_comments_author_id'))

    op.drop_table('card_comments')
    with op.batch_alter_table('card_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_attachments_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_card_attachments_card_id'))

    op.drop_table('card_attachments')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index(batch_op.f('ix_notifications_activity_id'))

    op.drop_table('notifications')
    op.drop_table('labels')
    op.drop_table('custom_fields')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_project_created')
        batch_op.drop_index(batch_op.f('ix_activities_card_id'))
        batch_op.drop_index(batch_op.f('ix_activities_actor_id'))

    op.drop_table('activities')
